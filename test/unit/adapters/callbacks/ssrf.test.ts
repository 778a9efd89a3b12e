import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCallbackTarget, isNonPublicAddress, LOOPBACK_ALLOW_LIST } from '../../../../shared/adapters/callbacks/callback-url-policy';
import { HttpCallbackSender } from '../../../../shared/adapters/callbacks/http-callback-sender';
import { DeliveryTimeoutError, sendSignedWebhook } from '../../../../shared/adapters/webhooks/signed-webhook-sender';
import { ValidationError } from '../../../../shared/domain/errors';
import { aWebhookEndpoint } from '../../../support/domain-fakes';
import { fixedClock } from '../../../support/fakes';

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

  const production = { allowLoopback: false };
  const local = { allowLoopback: true };

  // Refused everywhere, the local runtime included: each with the rule it breaks, in the words of the 400.
  it.each([
    { description: 'the metadata address', url: 'http://169.254.169.254/latest/meta-data', rule: 'must not point at the cloud metadata address: 169.254.169.254' },
    { description: 'the metadata address, IPv4-mapped', url: 'http://[::ffff:a9fe:a9fe]/', rule: 'must not point at the cloud metadata address: ::ffff:a9fe:a9fe (IPv4-mapped 169.254.169.254)' },
    { description: 'a private address', url: 'http://10.0.0.1/hook', rule: 'must not point at a private network address (10/8, 172.16/12, 192.168/16): 10.0.0.1' },
    { description: 'a private address, IPv4-mapped', url: 'http://[::ffff:10.0.0.1]/hook', rule: 'must not point at a private network address (10/8, 172.16/12, 192.168/16): ::ffff:a00:1 (IPv4-mapped 10.0.0.1)' },
    { description: 'another private range', url: 'http://192.168.1.10/hook', rule: 'must not point at a private network address (10/8, 172.16/12, 192.168/16): 192.168.1.10' },
    { description: 'link-local', url: 'http://169.254.1.1/hook', rule: 'must not point at a link-local address (169.254/16, where cloud metadata lives, or fe80::/10): 169.254.1.1' },
    { description: 'IPv6 link-local', url: 'http://[fe80::1]/hook', rule: 'must not point at a link-local address (169.254/16, where cloud metadata lives, or fe80::/10): fe80::1' },
    { description: 'IPv6 unique-local', url: 'http://[fd00::1]/hook', rule: 'must not point at a private IPv6 address (fc00::/7): fd00::1' },
    { description: 'the unspecified address', url: 'http://0.0.0.0/hook', rule: 'must not point at the unspecified address (0.0.0.0 or ::): 0.0.0.0' },
    { description: 'credentials, even on loopback', url: 'http://user:pw@127.0.0.1:8080/hook', rule: 'must not carry credentials (user:password@); authenticate with the webhook signature' },
    { description: 'credentials on a public host', url: 'https://user:pw@93.184.216.34/hook', rule: 'must not carry credentials (user:password@); authenticate with the webhook signature' },
  ])('refuses $description on the local runtime and in production', async ({ url, rule }) => {
    for (const policy of [local, production]) {
      const refusal = await assertCallbackTarget(new URL(url), policy).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(ValidationError);
      expect(refusal).toMatchObject({ details: [{ path: 'url', message: `url ${rule}` }] });
    }
  });

  it.each([
    ['plain http', 'http://93.184.216.34/hook'],
    ['loopback', 'https://127.0.0.1/hook'],
    ['a decimal-encoded loopback host', 'https://2130706433/hook'],
    ['an IPv4-mapped IPv6 loopback', 'https://[::ffff:7f00:1]/hook'],
    ['IPv6 loopback', 'https://[::1]/hook'],
    ['a name resolving to loopback', 'https://localhost/hook'],
  ])('refuses %s outside the local runtime', async (_, url) => {
    await expect(assertCallbackTarget(new URL(url), production)).rejects.toBeInstanceOf(ValidationError);
  });

  it.each(['http://127.0.0.1:8080/hook', 'http://127.9.9.9/hook', 'http://[::1]:8080/hook', 'http://localhost:8080/hook'])(
    'accepts loopback %s on the local runtime',
    async (url) => {
      await expect(assertCallbackTarget(new URL(url), local)).resolves.toBeUndefined();
    },
  );

  it('accepts a public https address everywhere', async () => {
    await expect(assertCallbackTarget(new URL('https://93.184.216.34/hook'), production)).resolves.toBeUndefined();
    await expect(assertCallbackTarget(new URL('https://93.184.216.34/hook'), local)).resolves.toBeUndefined();
  });
});

describe('HttpCallbackSender at connect time', () => {
  const local = { allowLoopback: true };
  // The sender checks again before sending, and the connection refuses what the check would: even a target stored
  // before these rules (or reached by DNS rebinding) is never contacted.
  it.each(['http://169.254.169.254/', 'http://10.0.0.1/hook', 'http://[::ffff:a9fe:a9fe]/', 'http://user:pw@127.0.0.1:1/hook'])(
    'refuses %s on the local runtime without sending',
    async (url) => {
      const sender = new HttpCallbackSender(fixedClock(), local);
      const result = await sender.send(aWebhookEndpoint({ url }), 'evt_1', '{}');
      expect(result).toMatchObject({ kind: 'refused' });
    },
  );

  it.each(['http://169.254.169.254/', 'http://10.0.0.1/hook', 'http://[::ffff:a9fe:a9fe]/'])(
    'the connection itself refuses %s even when only loopback is allowed',
    async (url) => {
      await expect(sendSignedWebhook(url, SECRET, 'msg_x', '{}', new Date(), { allowPrivate: false, allowAddresses: LOOPBACK_ALLOW_LIST, timeoutMs: 2000 })).rejects.toThrow(
        /not allowed/,
      );
    },
  );
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

  it('reaches loopback with only the loopback allow list (the local runtime), and no credentials are sent', async () => {
    behaviour = 'ok';
    const status = await sendSignedWebhook(url, SECRET, 'msg_5', '{}', new Date(), { allowPrivate: false, allowAddresses: LOOPBACK_ALLOW_LIST });
    expect(status).toBe(204);
    expect(received.at(-1)?.headers.authorization).toBeUndefined();
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

  it('sends the next webhook to the same host over the connection it kept open', async () => {
    behaviour = 'ok';
    let connections = 0;
    const count = () => (connections += 1);
    server.on('connection', count);
    await sendSignedWebhook(url, SECRET, 'msg_6', '{}', new Date(), { allowPrivate: false, allowAddresses: LOOPBACK_ALLOW_LIST });
    await sendSignedWebhook(url, SECRET, 'msg_7', '{}', new Date(), { allowPrivate: false, allowAddresses: LOOPBACK_ALLOW_LIST });
    await sendSignedWebhook(url, SECRET, 'msg_8', '{}', new Date(), { allowPrivate: false, allowAddresses: LOOPBACK_ALLOW_LIST });
    server.off('connection', count);
    expect(received.slice(-3).map((request) => request.headers['webhook-id'])).toEqual(['msg_6', 'msg_7', 'msg_8']);
    expect(connections).toBeLessThanOrEqual(1);
  });

  it('never lends a connection kept for a laxer address policy to a stricter one', async () => {
    behaviour = 'ok';
    expect(await sendSignedWebhook(url, SECRET, 'msg_9', '{}', new Date(), { allowPrivate: true })).toBe(204);
    const before = received.length;
    await expect(sendSignedWebhook(url, SECRET, 'msg_10', '{}', new Date(), { allowPrivate: false })).rejects.toThrow(/not allowed/);
    expect(received).toHaveLength(before);
  });

  it('gives up on an endpoint that does not answer in time', async () => {
    behaviour = 'hang';
    await expect(sendSignedWebhook(url, SECRET, 'msg_4', '{}', new Date(), { allowPrivate: true, timeoutMs: 300 })).rejects.toBeInstanceOf(DeliveryTimeoutError);
  });
});
