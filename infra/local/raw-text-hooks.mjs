// Node module hooks for `import text from './file?raw'` (shared/text-imports.d.ts): the file's text as the default
// export, as esbuild's `raw-text` plugin inlines it into a Lambda bundle (esbuild.config.mjs). The local runtime
// registers them before it imports a handler (lambda-host.ts), so a handler reads the same text on both.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const RAW = '?raw';

export const resolve = async (specifier, context, nextResolve) => {
  if (!specifier.endsWith(RAW)) return nextResolve(specifier, context);
  const resolved = await nextResolve(specifier.slice(0, -RAW.length), context);
  return { url: `${resolved.url}${RAW}`, format: 'module', shortCircuit: true };
};

export const load = async (url, context, nextLoad) => {
  if (!url.endsWith(RAW)) return nextLoad(url, context);
  const text = await readFile(fileURLToPath(url.slice(0, -RAW.length)), 'utf8');
  return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
};
