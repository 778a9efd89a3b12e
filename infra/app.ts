// The CDK app of cdk.json (`node --import tsx infra/app.ts`). The functions are deployed from dist/, so `npm run synth`
// builds it first.
import { App } from 'aws-cdk-lib';
import { addSettledStacks } from './settled-app';

const app = new App();
addSettledStacks(app);
app.synth();
