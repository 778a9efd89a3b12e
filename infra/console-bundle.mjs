// The operations console's browser bundle (console/src/main.tsx → one minified script and one stylesheet), built
// by esbuild. The ONE builder for both runtimes, so they cannot drift: esbuild.config.mjs inlines it into the
// Lambda bundle of functions/console at build time (`import bundle from '…/main.tsx?bundle'`), the local runtime's
// module hook (infra/local/raw-text-hooks.mjs) and the unit tests' Vite plugin (vitest.config.ts) build it on import.
import { build } from 'esbuild';

/** Marks an import as "the browser bundle of this entry point": `import bundle from './main.tsx?bundle'`. */
export const BUNDLE_SUFFIX = '?bundle';

/**
 * Builds the console from `entryPoint` (an absolute path) and answers `{ script, stylesheet }`, both minified text.
 * @param {string} entryPoint
 * @returns {Promise<{ script: string; stylesheet: string }>}
 */
export const buildConsoleBundle = async (entryPoint) => {
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    write: false,
    outdir: '/console-bundle',
    entryNames: 'app',
    platform: 'browser',
    format: 'iife',
    target: ['es2022', 'chrome111', 'firefox111', 'safari16'],
    minify: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const script = result.outputFiles.find((file) => file.path.endsWith('.js'))?.text;
  const stylesheet = result.outputFiles.find((file) => file.path.endsWith('.css'))?.text ?? '';
  if (script === undefined) throw new Error(`esbuild produced no script for ${entryPoint}`);
  return { script, stylesheet };
};

/** The bundle as an ES module's source: `export default { script, stylesheet }`. */
export const consoleBundleModule = async (entryPoint) => `export default ${JSON.stringify(await buildConsoleBundle(entryPoint))};`;
