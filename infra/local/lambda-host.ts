import { randomUUID } from 'node:crypto';
import { register } from 'node:module';
import type { Context } from 'aws-lambda';
import { type FunctionName, functions } from '../topology';
import { type FunctionEnvironment, functionEnvironmentScope } from './function-environment';

// `import text from './file?raw'` in a handler reads the file, as esbuild inlines it into the Lambda bundle.
register('./raw-text-hooks.mjs', import.meta.url);

export type LambdaHandler = (event: never, context: Context) => Promise<unknown>;

/** A function's handler module, loaded once, invoked as Lambda would: with a context and its timeout. */
export interface LocalFunction {
  readonly name: FunctionName;
  invoke(event: unknown): Promise<unknown>;
}

const isHandler = (value: unknown): value is LambdaHandler => typeof value === 'function';

/**
 * Imports functions/<name>/handler.ts, the module esbuild bundles for Lambda, and invokes it, both inside the
 * function's own environment (function-environment.ts): handlers compose their adapters at module scope, as in a
 * Lambda cold start, and see only the variables CDK would give them.
 */
export const loadFunction = async (name: FunctionName, environment: FunctionEnvironment): Promise<LocalFunction> => {
  const inOwnEnvironment = functionEnvironmentScope(environment);
  const module: Record<string, unknown> = await inOwnEnvironment(() => import(`../../functions/${name}/handler.ts`));
  const handler = module.handler;
  if (!isHandler(handler)) throw new Error(`functions/${name}/handler.ts does not export a handler function`);
  const { timeoutSeconds, memoryMb } = functions[name];
  return {
    name,
    invoke: async (event) => {
      const deadline = Date.now() + timeoutSeconds * 1000;
      const context: Context = {
        callbackWaitsForEmptyEventLoop: false,
        functionName: `settled-local-${name}`,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:eu-west-2:000000000000:function:settled-local-${name}`,
        memoryLimitInMB: String(memoryMb),
        awsRequestId: randomUUID(),
        logGroupName: `/aws/lambda/settled-local-${name}`,
        logStreamName: 'local',
        getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
        done: () => undefined,
        fail: () => undefined,
        succeed: () => undefined,
      };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Task timed out after ${timeoutSeconds} seconds (${name})`)), timeoutSeconds * 1000);
      });
      try {
        return await Promise.race([inOwnEnvironment(() => handler(event as never, context)), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
};
