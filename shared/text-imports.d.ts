/**
 * `import text from './file?raw'`: a file's text as a string, inlined into the Lambda bundle by esbuild
 * (esbuild.config.mjs, plugin `raw-text`), read by the local runtime's module hook (infra/local/raw-text-hooks.mjs)
 * and by Vite in the tests (its own `?raw`). Only for files the code ships: the API reference's document and assets.
 */
declare module '*?raw' {
  const text: string;
  export default text;
}

/**
 * `import bundle from '…/console/src/main.tsx?bundle'`: the operations console's browser bundle, built by
 * infra/console-bundle.mjs (for Lambda through esbuild.config.mjs's `browser-bundle` plugin, locally through the
 * module hook, in the unit tests through vitest.config.ts's plugin).
 */
declare module '*?bundle' {
  const bundle: { readonly script: string; readonly stylesheet: string };
  export default bundle;
}
