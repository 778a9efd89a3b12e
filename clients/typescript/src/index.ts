export { createSettledClient, idempotencyKey, ok, type SettledClient, type SettledClientOptions } from './client';
export { SettledApiError, type SettledErrorDetail } from './errors';
export {
  type CallbackHeaders,
  DEFAULT_TOLERANCE_SECONDS,
  SettledCallbackVerificationError,
  type SettledEvent,
  verifySettledCallback,
  type VerifyOptions,
} from './callbacks';
export type { components, operations, paths, webhooks } from './schema';

/** A resource of the API as its GET returns it: `Schema<'Payment'>`. */
export type Schema<Name extends keyof import('./schema').components['schemas']> = import('./schema').components['schemas'][Name];
