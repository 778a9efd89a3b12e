import { ValidationError } from '../errors';
import type { EventType } from '../events/domain-event';
import type { Clock, IdGenerator, SecretGenerator } from '../ports';
import type { WebhookEndpoint, WebhookEndpointRepository } from './webhook-endpoint';

/** Decides whether a callback URL may be registered (scheme, SSRF rules). Throws ValidationError if not. */
export type CallbackUrlPolicy = (url: URL) => Promise<void>;

/**
 * Registers a tenant endpoint.
 * Primary course: check the URL against the callback policy, mint a signing secret, store the endpoint, return
 * it with the secret (shown this once).
 */
export const registerWebhookEndpoint = async (
  command: { tenantId: string; url: string; events: readonly EventType[] | undefined },
  deps: {
    readonly endpoints: WebhookEndpointRepository;
    readonly ids: IdGenerator;
    readonly secrets: SecretGenerator;
    readonly clock: Clock;
    readonly urlPolicy: CallbackUrlPolicy;
  },
): Promise<WebhookEndpoint> => {
  let url: URL;
  try {
    url = new URL(command.url);
  } catch (cause) {
    throw new ValidationError('The callback URL is invalid.', { details: [{ path: 'url', message: 'must be an absolute URL' }], cause });
  }
  await deps.urlPolicy(url);
  const endpoint: WebhookEndpoint = {
    id: deps.ids.next('whe'),
    tenantId: command.tenantId,
    url: url.toString(),
    events: command.events === undefined ? null : [...new Set(command.events)],
    // Standard Webhooks secrets: whsec_ + base64 of 24 random bytes.
    secret: `whsec_${Buffer.from(deps.secrets.randomToken(24), 'base64url').toString('base64')}`,
    status: 'enabled',
    disabledReason: null,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.endpoints.create(endpoint);
  return endpoint;
};
