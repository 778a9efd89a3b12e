import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCallbackTarget, isNonPublicAddress } from '../../../../shared/adapters/callbacks/callback-url-policy';
import { DeliveryTimeoutError, sendSignedWebhook } from '../../../../shared/adapters/webhooks/signed-webhook-sender';
import { ValidationError } from '../../../../shared/domain/errors';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('callback targets (SSRF)', () => {
  it.each([
    '127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1',
    '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254',
  ])('treats %s as non-public', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111'])('treats %s as public', (address) => {
    expect(isNonPublicAddress(address)).toBe(false);
  });

  const production = { allowPrivate: false };
  it.each([
    ['plain http', 'http://93.184.216.34/hook'],
    ['loopback', 'https://127.0.0.1/hook'],
    ['a decimal-encoded loopback host', 'https://2130706433/hook'],
    ['an IPv4-mapped IPv6 loopback', 'https://[::ffff:7f00:1]/hook'],
    ['the metadata address', 'https://169.254.169.254/latest/meta-data'],
    ['a name resolving to loopback', 'https://localhost/hook'],
    ['credentials in the URL', 'https://user:pass@93.184.216.34/hook'],
  ])('refuses %s outside the local runtime', async (_, url) => {
    await expect(assertCallbackTarget(new URL(url), production)).rejects.toBeInstanceOf(ValidationError);
  });

  it('accepts a public https address, and loopback http only when the local runtime allows it', async () => {
    await expect(assertCallbackTarget(new URL('https://93.184.216.34/hook'), production)).resolves.toBeUndefined();
    await expect(assertCallbackTarget(new URL('http://127.0.0.1:8080/hook'), { allowPrivate: true })).resolves.toBeUndefined();
  });
});

describe('sendSignedWebhook', () => {
  let server: Server;
  let url: string;
  const received: { headers: Record<string, string>; body: string }[] = [];
  let behaviour: 'ok' | 'redirect' | 'hang' = 'ok';

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
        received.push({ headers, body: Buffer.concat(chunks).toString('utf8') });
        if (behaviour === 'hang') return;
        if (behaviour === 'redirect') response.writeHead(302, { location: 'http://169.254.169.254/' }).end();
        else response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/hook`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
  });

  it('refuses to connect to a private address unless allowed, sending nothing', async () => {
    const before = received.length;
    await expect(sendSignedWebhook(url, SECRET, 'msg_1', '{"a":1}', new Date(), { allowPrivate: false })).rejects.toThrow(/not allowed/);
    expect(received).toHaveLength(before);
  });

  it('sends a body the receiver can verify with the Standard Webhooks secret', async () => {
    behaviour = 'ok';
    const status = await sendSignedWebhook(url, SECRET, 'msg_2', '{"type":"payment.settled"}', new Date(), { allowPrivate: true });
    const last = received.at(-1);
    expect(status).toBe(204);
    expect(last?.headers['webhook-id']).toBe('msg_2');
    expect(() => new Webhook(SECRET).verify(last?.body ?? '', last?.headers ?? {})).not.toThrow();
  });

  it('does not follow redirects', async () => {
    behaviour = 'redirect';
    const before = received.length;
    expect(await sendSignedWebhook(url, SECRET, 'msg_3', '{}', new Date(), { allowPrivate: true })).toBe(302);
    expect(received).toHaveLength(before + 1);
  });

  it('gives up on an endpoint that does not answer in time', async () => {
    behaviour = 'hang';
    await expect(sendSignedWebhook(url, SECRET, 'msg_4', '{}', new Date(), { allowPrivate: true, timeoutMs: 300 })).rejects.toBeInstanceOf(DeliveryTimeoutError);
  });
});
