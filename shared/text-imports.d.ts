/**
 * `import text from './file?raw'`: a file's text as a string, inlined into the Lambda bundle by esbuild
 * (esbuild.config.mjs, plugin `raw-text`), read by the local runtime's module hook (infra/local/raw-text-hooks.mjs)
 * and by Vite in the tests (its own `?raw`). Only for files the code ships: the API reference's document and assets.
 */
declare module '*?raw' {
  const text: string;
  export default text;
}
