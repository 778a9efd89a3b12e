import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A TCP port on loopback that nothing listens on right now. */
export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });

/** Retries `probe` until it resolves, or fails with the last error after `timeoutMs`. */
export const waitFor = async (
  probe: () => Promise<unknown>,
  options: { timeoutMs: number; what: string; intervalMs?: number },
): Promise<void> => {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      await sleep(options.intervalMs ?? 100);
    }
  }
  throw new Error(`Timed out after ${options.timeoutMs} ms waiting for ${options.what}`, { cause: lastError });
};
