import { inject } from 'vitest';

// Read by startRuntime (infra/local/spawn-runtime.ts) in this test worker: in-memory runtimes use the shared
// DynamoDB Local of test/e2e/global-setup.ts.
process.env.SETTLED_DYNAMODB_ENDPOINT = inject('dynamoDbEndpoint');
