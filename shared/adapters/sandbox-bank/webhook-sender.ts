import { Webhook } from 'standardwebhooks';

/**
 * Sends one webhook the way a bank does: Standard Webhooks headers signed with the provider secret over the exact
 * body bytes. Returns the HTTP status; a network failure throws. Redirects are not followed.
 */
export const sendSignedWebhook = async (
  target: string,
  secret: string,
  webhookId: string,
  body: string,
  now: Date,
): Promise<number> => {
  const signature = new Webhook(secret).sign(webhookId, now, body);
  const response = await fetch(target, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': webhookId,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  return response.status;
};
