// Node module hooks for `import text from './file?raw'` (shared/text-imports.d.ts): the file's text as the default
// export, as esbuild's `raw-text` plugin inlines it into a Lambda bundle (esbuild.config.mjs). The local runtime
// registers them before it imports a handler (lambda-host.ts), so a handler reads the same text on both.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { BUNDLE_SUFFIX, consoleBundleModule } from '../console-bundle.mjs';

const RAW = '?raw';

// `import bundle from './main.tsx?bundle'`: the console's browser bundle, built on import by the same module that
// builds it into the Lambda bundle (infra/console-bundle.mjs).
export const resolve = async (specifier, context, nextResolve) => {
  const suffix = specifier.endsWith(RAW) ? RAW : specifier.endsWith(BUNDLE_SUFFIX) ? BUNDLE_SUFFIX : undefined;
  if (suffix === undefined) return nextResolve(specifier, context);
  const resolved = await nextResolve(specifier.slice(0, -suffix.length), context);
  return { url: `${resolved.url}${suffix}`, format: 'module', shortCircuit: true };
};

export const load = async (url, context, nextLoad) => {
  if (url.endsWith(BUNDLE_SUFFIX)) {
    return { format: 'module', source: await consoleBundleModule(fileURLToPath(url.slice(0, -BUNDLE_SUFFIX.length))), shortCircuit: true };
  }
  if (!url.endsWith(RAW)) return nextLoad(url, context);
  const text = await readFile(fileURLToPath(url.slice(0, -RAW.length)), 'utf8');
  return { format: 'module', source: `export default ${JSON.stringify(text)};`, shortCircuit: true };
};
