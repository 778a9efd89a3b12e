import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Agent } from 'node:http';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { Webhook } from 'standardwebhooks';

/** No answer within this long counts as a failed delivery (docs/openapi.yaml, tenant callbacks). */
export const DELIVERY_TIMEOUT_MS = 10_000;

export class DeliveryTimeoutError extends Error {
  override readonly name = 'DeliveryTimeoutError';
}

/**
 * How long an idle connection is kept for the next webhook to the same host: under the 5 s a Node.js server keeps one
 * open by default (a server's shorter `Keep-Alive: timeout` hint is honoured too), so a reused socket is rarely one
 * the server is closing.
 */
const IDLE_CONNECTION_MS = 4_000;

/**
 * One filtering agent per protocol and address policy for the life of the process, keeping connections alive: a
 * callback to an endpoint that was just called reuses its TCP (and TLS) connection instead of opening one per event.
 * The filter checks the address at connect time, so a reused connection is one whose address was checked.
 */
const agents = new Map<string, Agent>();
const agentFor = (url: URL, allowPrivate: boolean, allowAddresses: readonly string[]): Agent => {
  const key = `${url.protocol}|${allowPrivate}|${allowAddresses.join(',')}`;
  const known = agents.get(key);
  if (known !== undefined) return known;
  const options = { keepAlive: true, timeout: IDLE_CONNECTION_MS, allowPrivateIPAddress: allowPrivate, allowIPAddressList: [...allowAddresses] };
  const agent = url.protocol === 'https:' ? new RequestFilteringHttpsAgent(options) : new RequestFilteringHttpAgent(options);
  agents.set(key, agent);
  return agent;
};

/**
 * Sends one signed webhook, as a bank does (the sandbox bank) and as Settled does to tenant endpoints: Standard
 * Webhooks headers signed with the secret over the exact body bytes. Returns the HTTP status; a network failure or a
 * refused address throws. Redirects are never followed.
 *
 * The connection goes through request-filtering-agent, which checks the address actually connected to (after DNS,
 * so a name resolving to a private address is caught too) and refuses private, loopback, link-local, metadata and
 * other non-unicast addresses unless `allowPrivate` (Settled posting to its own API) or listed in `allowAddresses`
 * (IPs or CIDRs: loopback for tenant callbacks on the local runtime).
 * Built-in fetch cannot take an http.Agent, hence node:http(s).
 */
export const sendSignedWebhook = (
  target: string,
  secret: string,
  webhookId: string,
  body: string,
  now: Date,
  options: { allowPrivate: boolean; allowAddresses?: readonly string[]; timeoutMs?: number } = { allowPrivate: false },
): Promise<number> => {
  const url = new URL(target);
  const signature = new Webhook(secret).sign(webhookId, now, body);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolveStatus, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        agent: agentFor(url, options.allowPrivate, options.allowAddresses ?? []),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body, 'utf8'),
          'webhook-id': webhookId,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signature,
        },
      },
      (response) => {
        response.resume(); // the body is not read, only drained
        response.once('end', () => resolveStatus(response.statusCode ?? 0));
        response.once('error', reject);
      },
    );
    const deadline = setTimeout(() => request.destroy(new DeliveryTimeoutError(`No answer within ${options.timeoutMs ?? DELIVERY_TIMEOUT_MS} ms`)), options.timeoutMs ?? DELIVERY_TIMEOUT_MS);
    request.once('close', () => clearTimeout(deadline));
    request.once('error', reject);
    request.end(body);
  });
};
