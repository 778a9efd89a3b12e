import { createServer, type Server } from 'node:http';

export interface ReceivedCallback {
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly json: { id: string; type: string; createdAt: string; data: Record<string, any> };
}

/** A tenant's webhook endpoint on loopback that records every delivery (and can be told to fail). */
export const startCallbackReceiver = async () => {
  const received: ReceivedCallback[] = [];
  let statusToAnswer = 200;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
      received.push({ headers, body, json: JSON.parse(body) });
      response.writeHead(statusToAnswer).end();
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/settled-callbacks`,
    received,
    answerWith: (status: number) => void (statusToAnswer = status),
    close: () => new Promise<void>((resolveClose) => server.close(() => resolveClose())),
  };
};
