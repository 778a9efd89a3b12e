import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpCallbackSender } from '../../../../shared/adapters/callbacks/http-callback-sender';
import { SettledCallbackVerificationError, verifySettledCallback } from '../../../../clients/typescript/src';
import { aWebhookEndpoint } from '../../../support/domain-fakes';
import { fixedClock } from '../../../support/fakes';

const SENT_AT = '2026-11-24T10:00:00.000Z';
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER_SECRET = `whsec_${Buffer.from('another secret, 24 bytes').toString('base64')}`;
const EVENT = {
  id: 'evt_3F9A1C2B4D5E6F708192A3B4C5',
  type: 'cash_position.updated',
  createdAt: '2026-11-24T10:00:00.000Z',
  data: { accountId: 'acc_1', currency: 'GBP', confirmed: '1125.00', pending: '0.00', asOf: '2026-11-24T10:00:00.000Z' },
};

/**
 * Callbacks signed by Settled's own sender (the adapter that delivers tenant callbacks), received on loopback: the
 * raw bytes and headers the tenant's endpoint gets.
 */
describe('verifySettledCallback on a callback Settled signed', () => {
  let server: Server;
  let url = '';
  const received: { body: Buffer; headers: IncomingHttpHeaders }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ body: Buffer.concat(chunks), headers: request.headers });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/hooks`;
    const sender = new HttpCallbackSender(fixedClock(SENT_AT), { allowLoopback: true });
    const result = await sender.send(aWebhookEndpoint({ url, secret: SECRET }), EVENT.id, JSON.stringify(EVENT));
    expect(result).toEqual({ kind: 'response', status: 200 });
  });
  afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

  const callback = () => {
    const [first] = received;
    if (first === undefined) throw new Error('Settled sent no callback');
    return first;
  };
  const soonAfter = new Date('2026-11-24T10:01:00.000Z');

  it('accepts it and returns its event, from the raw bytes or their text, with Node or fetch headers', () => {
    // Prepare
    const { body, headers } = callback();
    const fetchHeaders = new Headers();
    for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') fetchHeaders.set(name, value);
    // Act
    const fromBytes = verifySettledCallback(body, headers, SECRET, { now: soonAfter });
    const fromText = verifySettledCallback(body.toString('utf8'), fetchHeaders, SECRET, { now: soonAfter });
    // Assess
    expect(fromBytes).toEqual(EVENT);
    expect(fromText).toEqual(EVENT);
    expect(headers['webhook-id']).toBe(EVENT.id);
  });

  it.each<{ description: string; tamper: (body: string, headers: Record<string, string>) => [string, Record<string, string>]; secret?: string; now?: Date; reason: RegExp }>([
    { description: 'a tampered body (one digit of the amount)', tamper: (body, headers) => [body.replace('1125.00', '9125.00'), headers], reason: /No signature matches/ },
    { description: 'another secret', tamper: (body, headers) => [body, headers], secret: OTHER_SECRET, reason: /No signature matches/ },
    { description: 'a replay after the tolerance (6 minutes later)', tamper: (body, headers) => [body, headers], now: new Date('2026-11-24T10:06:00.000Z'), reason: /too old/ },
    { description: 'a timestamp from the future', tamper: (body, headers) => [body, headers], now: new Date('2026-11-24T09:54:00.000Z'), reason: /future/ },
    { description: 'a moved timestamp', tamper: (body, headers) => [body, { ...headers, 'webhook-timestamp': String(Number(headers['webhook-timestamp']) + 1) }], reason: /No signature matches/ },
    { description: 'another webhook-id', tamper: (body, headers) => [body, { ...headers, 'webhook-id': 'evt_other' }], reason: /No signature matches/ },
    { description: 'a missing signature', tamper: (body, { 'webhook-signature': _dropped, ...rest }) => [body, rest], reason: /Missing/ },
    { description: 'a signature of another version', tamper: (body, headers) => [body, { ...headers, 'webhook-signature': String(headers['webhook-signature']).replace('v1,', 'v1a,') }], reason: /No signature matches/ },
  ])('refuses $description', ({ tamper, secret, now, reason }) => {
    // Prepare
    const { body, headers } = callback();
    const plain: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') plain[name] = value;
    const [tamperedBody, tamperedHeaders] = tamper(body.toString('utf8'), plain);
    // Act
    const verify = () => verifySettledCallback(tamperedBody, tamperedHeaders, secret ?? SECRET, { now: now ?? soonAfter });
    // Assess
    expect(verify).toThrow(SettledCallbackVerificationError);
    expect(verify).toThrow(reason);
  });

  it('takes a wider tolerance when asked', () => {
    // Prepare
    const { body, headers } = callback();
    // Act
    const event = verifySettledCallback(body, headers, SECRET, { now: new Date('2026-11-24T10:06:00.000Z'), toleranceSeconds: 600 });
    // Assess
    expect(event.id).toBe(EVENT.id);
  });
});

describe('verifySettledCallback on bodies Settled did not send', () => {
  /** Signed correctly, so only the body's own checks can refuse it. */
  const signed = async (body: string, webhookId: string) => {
    const { Webhook } = await import('standardwebhooks');
    const at = new Date(SENT_AT);
    return { 'webhook-id': webhookId, 'webhook-timestamp': String(at.getTime() / 1000), 'webhook-signature': new Webhook(SECRET).sign(webhookId, at, body) };
  };

  it.each([
    { description: 'a body that is not JSON', body: 'not json', webhookId: EVENT.id, reason: /not JSON/ },
    { description: 'JSON that is not an event', body: '{"id":"evt_3F9A1C2B4D5E6F708192A3B4C5"}', webhookId: EVENT.id, reason: /not a Settled event/ },
    { description: 'an event whose id is not the webhook-id', body: JSON.stringify(EVENT), webhookId: 'evt_someone_else', reason: /not the webhook-id/ },
  ])('refuses $description even when signed', async ({ body, webhookId, reason }) => {
    // Prepare
    const headers = await signed(body, webhookId);
    // Act
    const verify = () => verifySettledCallback(body, headers, SECRET, { now: new Date(SENT_AT) });
    // Assess
    expect(verify).toThrow(reason);
  });
});
