import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Tenant API keys: `sk_<tenantId>_<43 chars of base64url>` (256 random bits).
 *
 * The tenant id inside the key lets authentication read one item whose partition key leads with the tenant
 * (docs/architecture.md §6) instead of a global key index. The key itself is never stored: only its SHA-256, which is enough
 * for a 256-bit random secret (no dictionary to attack, so a slow password hash buys nothing and costs latency).
 */
const API_KEY_PATTERN = /^sk_(ten_[0-9A-HJKMNP-TV-Z]{26})_([A-Za-z0-9_-]{43})$/;

export const API_KEY_SECRET_BYTES = 32;

export const formatApiKey = (tenantId: string, secret: string): string => `sk_${tenantId}_${secret}`;

/** The tenant id an API key claims, or undefined when the key is not of our format. */
export const tenantIdOfApiKey = (apiKey: string): string | undefined => API_KEY_PATTERN.exec(apiKey)?.[1];

export const hashApiKey = (apiKey: string): string => createHash('sha256').update(apiKey, 'utf8').digest('hex');

/** How many hex characters of the key's hash name it (64 bits: unique among a tenant's keys, and no secret). */
const API_KEY_ID_HASH_CHARS = 16;

/**
 * The id under which an API key acts, recorded where a person's action must be attributed (who resolved an
 * exception): derived from the key's stored hash, so it names the key without revealing any of it.
 */
export const apiKeyIdOf = (apiKey: string): string => `key_${hashApiKey(apiKey).slice(0, API_KEY_ID_HASH_CHARS)}`;

/** Compares two secrets without leaking, through timing, how much of them matched. */
export const secretsEqual = (presented: string, expected: string): boolean => {
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
};
