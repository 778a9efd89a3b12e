// Bundles every functions/<name>/handler.ts to dist/<name>/index.mjs. The CDK stack deploys exactly these
// directories (infra/constructs/settled-function.ts), so these options are the one truth for both.
import { build } from 'esbuild';
import { readdirSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUNDLE_SUFFIX, consoleBundleModule } from './infra/console-bundle.mjs';

const root = dirname(fileURLToPath(import.meta.url));

/** Names of the functions: every folder of functions/ with a handler.ts. */
export const functionNames = () =>
  readdirSync(join(root, 'functions'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, 'functions', entry.name, 'handler.ts')))
    .map((entry) => entry.name)
    .sort();

/**
 * `import text from './file?raw'` (shared/text-imports.d.ts): the file's text inlined into the bundle as a string, so
 * a function ships the files it serves (the API reference's document and Swagger UI assets) with no file system
 * access at run time. The local runtime reads the same files through infra/local/raw-text-hooks.mjs.
 * @type {import('esbuild').Plugin}
 */
const rawText = {
  name: 'raw-text',
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, async (args) => {
      const resolved = await build.resolve(args.path.slice(0, -'?raw'.length), { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, namespace: 'raw-text' };
    });
    build.onLoad({ filter: /.*/, namespace: 'raw-text' }, (args) => ({ contents: readFileSync(args.path, 'utf8'), loader: 'text' }));
  },
};

/**
 * `import bundle from '../../console/src/main.tsx?bundle'` (shared/text-imports.d.ts): the operations console's
 * browser bundle `{ script, stylesheet }`, built at build time by infra/console-bundle.mjs (which the local runtime's
 * hook uses too) and inlined into the function as strings. Not a checked-in build output.
 * @type {import('esbuild').Plugin}
 */
const browserBundle = {
  name: 'browser-bundle',
  setup(build) {
    build.onResolve({ filter: /\?bundle$/ }, async (args) => {
      const resolved = await build.resolve(args.path.slice(0, -BUNDLE_SUFFIX.length), { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, namespace: 'browser-bundle' };
    });
    build.onLoad({ filter: /.*/, namespace: 'browser-bundle' }, async (args) => ({ contents: await consoleBundleModule(args.path), loader: 'js', resolveDir: dirname(args.path) }));
  },
};

/** @type {import('esbuild').BuildOptions} */
export const sharedOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  sourcemap: true,
  // Bundle the AWS SDK too: pinned versions, smaller cold starts than the runtime's copy, no surprise upgrades.
  external: [],
  // Prefer ESM entry points, and give CommonJS dependencies a real `require` (without it an ESM bundle fails at
  // load with "Dynamic require of node:https is not supported").
  mainFields: ['module', 'main'],
  banner: { js: "import { createRequire as __settledCreateRequire } from 'node:module'; const require = __settledCreateRequire(import.meta.url);" },
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [rawText, browserBundle],
};

/** Builds every function bundle into `outDir` (default dist/). */
export const buildAll = async (outDir = join(root, 'dist')) => {
  rmSync(outDir, { recursive: true, force: true });
  const names = functionNames();
  await Promise.all(
    names.map((name) =>
      build({
        ...sharedOptions,
        entryPoints: [join(root, 'functions', name, 'handler.ts')],
        outfile: join(outDir, name, 'index.mjs'),
      }),
    ),
  );
  return names;
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const names = await buildAll();
  // stderr: when the CDK app runs this first, stdout belongs to the CDK.
  console.error(`Built ${names.length} function bundles into dist/: ${names.join(', ')}`);
}
