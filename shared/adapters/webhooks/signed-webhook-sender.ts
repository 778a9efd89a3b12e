import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { useAgent } from 'request-filtering-agent';
import { Webhook } from 'standardwebhooks';

/** No answer within this long counts as a failed delivery (docs/openapi.yaml, tenant callbacks). */
export const DELIVERY_TIMEOUT_MS = 10_000;

export class DeliveryTimeoutError extends Error {
  override readonly name = 'DeliveryTimeoutError';
}

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
        agent: useAgent(url.toString(), { allowPrivateIPAddress: options.allowPrivate, allowIPAddressList: [...(options.allowAddresses ?? [])] }),
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
