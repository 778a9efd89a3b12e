/** Ports shared by every use case. Capability-specific ports live beside their use cases. */

export interface Clock {
  now(): Date;
}

/** Type prefixes of public ids (docs/openapi.yaml). */
export type IdPrefix = 'ten' | 'acc' | 'con' | 'pay' | 'lnk' | 'bat' | 'man' | 'txn' | 'exc' | 'whe' | 'evt' | 'imp' | 'map' | 'rdl';

export interface IdGenerator {
  /** A new, unique, time-sortable id such as `pay_01JDQ4…`. */
  next(prefix: IdPrefix): string;
}

/** Cryptographically strong random material for secrets (API keys, webhook secrets). */
export interface SecretGenerator {
  /** `bytes` random bytes, base64url without padding. */
  randomToken(bytes: number): string;
}
