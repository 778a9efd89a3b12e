import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Manifest, type PolicyViolationJson } from 'aws-cdk-lib/cloud-assembly-schema';
import { FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT, VALIDATION_REPORT_FILE } from 'aws-cdk-lib/cx-api';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { addSettledStacks } from '../../infra/settled-app';
import { isRecord, topologies } from './support';

/**
 * An app whose synthesis reports validation failures in the cloud assembly instead of throwing, so the test can read
 * exactly which findings remain (cdk-nag 3 is a CDK validation plugin: acknowledged findings never reach the report).
 */
const reportingApp = (): App => new App({ context: { [FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false } });

/** The plugin name cdk-nag's AwsSolutions pack reports under. */
const AWS_SOLUTIONS_PLUGIN = 'AwsSolutions';

/** One unacknowledged AwsSolutions finding. */
interface NagFinding {
  readonly rule: string;
  readonly severity: PolicyViolationJson['severity'];
  readonly constructPath: string;
}

/** Synthesises `app` and returns the AwsSolutions findings that nothing acknowledged. */
const unacknowledgedFindings = (app: App): NagFinding[] => {
  const assembly = app.synth();
  const report = Manifest.loadValidationReport(join(assembly.directory, VALIDATION_REPORT_FILE));
  return report.pluginReports
    .filter((pluginReport) => pluginReport.pluginName === AWS_SOLUTIONS_PLUGIN)
    .flatMap((pluginReport) => pluginReport.violations)
    .flatMap((violation) =>
      violation.violatingConstructs.map((construct) => ({
        rule: violation.ruleName,
        severity: violation.severity,
        constructPath: construct.constructPath,
      })),
    );
};

const errorsOf = (findings: readonly NagFinding[]) =>
  findings.filter((finding) => finding.severity === 'error' || finding.severity === 'fatal');

describe.each(topologies)('cdk-nag AwsSolutions on the Settled app (%s)', (_label, topology) => {
  // Prepare
  const app = reportingApp();
  addSettledStacks(app, topology);

  // Act
  const findings = unacknowledgedFindings(app);

  it('leaves no unacknowledged error', () => {
    expect(errorsOf(findings)).toEqual([]);
  });

  it('leaves no unacknowledged warning either', () => {
    expect(findings).toEqual([]);
  });

  it('acknowledges only on resources, never on a whole stack or the app, and always with a reason', () => {
    const acknowledgements = app.node.findAll().flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(isRecord(entry.data) ? entry.data : {}))
        .map(([id, reason]) => ({ path: construct.node.path, id, reason, construct })),
    );

    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { path, id, reason, construct } of acknowledgements) {
      expect(App.isApp(construct) || Stack.isStack(construct), `${id} acknowledged on ${path}`).toBe(false);
      expect(typeof reason === 'string' ? reason.length : 0, `reason of ${id} on ${path}`).toBeGreaterThan(80);
    }
  });
});

describe('the cdk-nag check itself', () => {
  it('reports a non-compliant resource, so the tests above can fail', () => {
    // Prepare: a queue without encryption, TLS enforcement or dead-letter queue.
    const app = reportingApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Throwaway');
    new sqs.Queue(stack, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });

    // Act
    const errors = errorsOf(unacknowledgedFindings(app));

    // Assess
    expect(errors).toEqual(
      expect.arrayContaining([
        { rule: 'AwsSolutions-SQS3', severity: 'error', constructPath: 'Throwaway/PlainQueue/Resource' },
        { rule: 'AwsSolutions-SQS4', severity: 'error', constructPath: 'Throwaway/PlainQueue/Resource' },
      ]),
    );
  });

  it('drops an acknowledged finding only on the acknowledged resource', () => {
    // Prepare
    const app = reportingApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Throwaway');
    const acknowledged = new sqs.Queue(stack, 'Acknowledged', { enforceSSL: true });
    new sqs.Queue(stack, 'NotAcknowledged', { enforceSSL: true });
    Validations.of(acknowledged).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'Test: this queue is acknowledged.' });

    // Act
    const sqs3Paths = unacknowledgedFindings(app)
      .filter((finding) => finding.rule === 'AwsSolutions-SQS3')
      .map((finding) => finding.constructPath);

    // Assess
    expect(sqs3Paths).toEqual(['Throwaway/NotAcknowledged/Resource']);
  });
});
