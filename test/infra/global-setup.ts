import { mkdirSync, rmSync } from 'node:fs';
import { buildAll } from '../../esbuild.config.mjs';

/**
 * The stacks reference dist/<function>; build it once so the CDK tests synthesise what would be deployed. The CDK
 * Apps of the tests write their cdk.out (every bundle staged again) under the project's own temp folder
 * (vitest.config.ts), which is removed after the run.
 */
export default async function setup(): Promise<() => void> {
  const temp = process.env.SETTLED_INFRA_TMPDIR;
  if (temp !== undefined) mkdirSync(temp, { recursive: true });
  await buildAll();
  return () => {
    if (temp !== undefined) rmSync(temp, { recursive: true, force: true });
  };
}
