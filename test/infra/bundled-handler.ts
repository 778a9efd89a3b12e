import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { bundleDirectoryOf } from '../../infra/constructs/settled-function';
import type { FunctionName } from '../../infra/topology';

export type BundledHttpHandler = (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyStructuredResultV2>;

/** The handler of what `cdk deploy` ships for an HTTP function: dist/<name>/index.mjs, built by the global setup. */
export const bundledHttpHandler = async (name: FunctionName): Promise<BundledHttpHandler> => {
  const bundle: Record<string, unknown> = await import(pathToFileURL(`${bundleDirectoryOf(name)}/index.mjs`).href);
  const exported = bundle.handler;
  if (typeof exported !== 'function') throw new Error(`dist/${name}/index.mjs exports no handler`);
  return (event, context) => exported(event, context);
};
