import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BUNDLE_SUFFIX, consoleBundleModule } from './infra/console-bundle.mjs';

/** `import bundle from './main.tsx?bundle'` in tests, built by the same module as for Lambda and the local runtime. */
const browserBundle: Plugin = {
  name: 'browser-bundle',
  enforce: 'pre',
  async resolveId(source, importer) {
    if (!source.endsWith(BUNDLE_SUFFIX)) return null;
    const resolved = await this.resolve(source.slice(0, -BUNDLE_SUFFIX.length), importer, { skipSelf: true });
    return resolved === null ? null : `${resolved.id}${BUNDLE_SUFFIX}`;
  },
  async load(id) {
    if (!id.endsWith(BUNDLE_SUFFIX)) return null;
    return consoleBundleModule(id.startsWith('file:') ? fileURLToPath(id.slice(0, -BUNDLE_SUFFIX.length)) : id.slice(0, -BUNDLE_SUFFIX.length));
  },
};

// The global setup (DynamoDB Local, bundling) runs in this process, before test.env applies.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const env = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_REGION: 'eu-west-2',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_TRACE_ENABLED: 'false',
  // Metrics are EMF lines on stdout: none in tests, except where a test turns them on to read them.
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_DEV: 'false',
};

// Each CDK App a test synthesises stages every Lambda bundle into a fresh cdk.out under the temp folder (~75 MB a
// stack); the infra project's temp folder is its own, made and removed whole by test/infra/global-setup.ts, so runs
// never fill the disk.
const infraTemp = join(tmpdir(), `settled-infra-${process.pid}`);
process.env.SETTLED_INFRA_TMPDIR = infraTemp;

export default defineConfig({
  plugins: [browserBundle],
  test: {
    env,
    projects: [
      {
        plugins: [browserBundle],
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], env },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          env,
          // One DynamoDB Local for the whole run; each test file uses its own table.
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          env: { ...env, TMPDIR: infraTemp },
          // The stacks deploy the esbuild bundles, so they are built once before the CDK tests.
          globalSetup: ['test/infra/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          env,
          // One DynamoDB Local, warm, for every in-memory runtime (each in its own table).
          globalSetup: ['test/e2e/global-setup.ts'],
          setupFiles: ['test/e2e/shared-dynamodb.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
