import type { CallbackSender, DeliveryResult, WebhookEndpoint } from '../../domain/callbacks/webhook-endpoint';
import type { Clock } from '../../domain/ports';
import { DeliveryTimeoutError, sendSignedWebhook } from '../webhooks/signed-webhook-sender';
import type { CallbackUrlPolicyOptions } from './callback-url-policy';
import { assertCallbackTarget, LOOPBACK_ALLOW_LIST } from './callback-url-policy';

/**
 * Delivers tenant callbacks over HTTPS with Standard Webhooks signatures (webhook-id = the event id, the same on
 * every attempt), a 10 s timeout and no redirects. The target is checked again before sending (scheme, credentials,
 * address), and the connection itself refuses non-public addresses (request-filtering-agent) but loopback where
 * allowed, so DNS rebinding between the check and the connect does not get through.
 */
export class HttpCallbackSender implements CallbackSender {
  constructor(
    private readonly clock: Clock,
    private readonly policy: CallbackUrlPolicyOptions,
  ) {}

  async send(endpoint: WebhookEndpoint, eventId: string, body: string): Promise<DeliveryResult> {
    try {
      await assertCallbackTarget(new URL(endpoint.url), this.policy);
    } catch (error) {
      return { kind: 'refused', reason: error instanceof Error ? error.message : String(error) };
    }
    try {
      // Never private addresses at connect time; loopback only where the policy allows it (the local runtime).
      const status = await sendSignedWebhook(endpoint.url, endpoint.secret, eventId, body, this.clock.now(), {
        allowPrivate: false,
        allowAddresses: this.policy.allowLoopback ? LOOPBACK_ALLOW_LIST : [],
      });
      return { kind: 'response', status };
    } catch (error) {
      if (error instanceof DeliveryTimeoutError) return { kind: 'timeout' };
      return { kind: 'refused', reason: error instanceof Error ? error.message : String(error) };
    }
  }
}
