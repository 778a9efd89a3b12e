import { buildAll } from '../../esbuild.config.mjs';

/** The stacks reference dist/<function>; build it once so the CDK tests synthesise what would be deployed. */
export default async function setup(): Promise<void> {
  await buildAll();
}
