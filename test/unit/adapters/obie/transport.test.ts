import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UndiciObieTransport } from '../../../../shared/adapters/obie/transport';

/**
 * The real transport against a local HTTPS server that demands a client certificate: a bank CA, its server
 * certificate for localhost, and a TPP transport certificate from a separate CA, made with openssl for the run.
 */
let dir: string;
let server: Server;
let port: number;
let pem: (name: string) => string;
const seen: { subject: string | undefined; headers: Record<string, unknown>; body: string }[] = [];

const openssl = (...args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'obie-mtls-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'bank-ca.key', '-out', 'bank-ca.pem', '-subj', '/CN=Mock Bank CA', '-days', '2');
  openssl('req', '-x509', ...ec, '-keyout', 'tpp-ca.key', '-out', 'tpp-ca.pem', '-subj', '/CN=Mock Directory CA', '-days', '2');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'bank-ca.pem', '-CAkey', 'bank-ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext');
  openssl('req', ...ec, '-keyout', 'tpp.key', '-out', 'tpp.csr', '-subj', '/CN=settled-transport');
  openssl('x509', '-req', '-in', 'tpp.csr', '-CA', 'tpp-ca.pem', '-CAkey', 'tpp-ca.key', '-CAcreateserial', '-out', 'tpp.pem', '-days', '2');
  pem = (name) => readFileSync(join(dir, name), 'utf8');
  server = createServer({ key: pem('server.key'), cert: pem('server.pem'), ca: pem('tpp-ca.pem'), requestCert: true, rejectUnauthorized: true }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const socket = request.socket as TLSSocket;
      const subject = socket.getPeerCertificate().subject?.CN;
      seen.push({ subject: typeof subject === 'string' ? subject : undefined, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(201, { 'Content-Type': 'application/json', 'X-Fapi-Interaction-Id': 'abc' });
      response.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('undici Open Banking transport', () => {
  it('presents the TPP transport certificate and trusts the bank CA from the registry', async () => {
    const transport = new UndiciObieTransport({ timeoutMs: 5_000 });
    try {
      const response = await transport.send({
        aspspId: 'bank-local',
        operation: 'CreateDomesticPayments',
        method: 'POST',
        url: `https://localhost:${String(port)}/open-banking/v4.0/pisp/domestic-payments`,
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-idempotency-key': 'k-1' },
        body: '{"Data":{}}',
        tls: { serverCaPem: pem('bank-ca.pem'), clientCertificatePem: pem('tpp.pem'), clientKeyPem: pem('tpp.key') },
      });
      expect(response).toEqual({ status: 201, headers: expect.objectContaining({ 'content-type': 'application/json', 'x-fapi-interaction-id': 'abc' }) as unknown, body: '{"ok":true}' });
      expect(seen.at(-1)).toMatchObject({ subject: 'settled-transport', body: '{"Data":{}}', headers: { 'x-idempotency-key': 'k-1' } });
    } finally {
      await transport.close();
    }
  });

  it('fails without the client certificate, and against a server its CA does not vouch for', async () => {
    const transport = new UndiciObieTransport({ timeoutMs: 5_000 });
    const base = { aspspId: 'bank-local', operation: 'GetAccounts', method: 'GET' as const, url: `https://localhost:${String(port)}/x`, headers: {} };
    try {
      const before = seen.length;
      await expect(transport.send({ ...base, tls: { serverCaPem: pem('bank-ca.pem') } })).rejects.toThrow();
      await expect(transport.send({ ...base, tls: { serverCaPem: pem('tpp-ca.pem'), clientCertificatePem: pem('tpp.pem'), clientKeyPem: pem('tpp.key') } })).rejects.toThrow();
      expect(seen.length).toBe(before);
    } finally {
      await transport.close();
    }
  });
});
