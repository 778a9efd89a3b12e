import { createLocalJWKSet, errors as joseErrors, type JSONWebKeySet } from 'jose';
import * as v from 'valibot';
import type { AspspRegistryEntry } from './configuration';

/**
 * The banks' public signing keys (their JWKS, from the registry's jwksUri), cached per bank, read again after an hour,
 * and read again at once when a signature names a `kid` the cached set lacks (a rotation), at most once a minute per
 * bank, so a stream of made-up kids cannot make Settled hammer a bank's JWKS.
 */
export type BankKeySet = ReturnType<typeof createLocalJWKSet>;

export interface BankSigningKeysOptions {
  readonly now: () => Date;
  /** A cached JWKS is re-read after this long. Default 1 h. */
  readonly maxAgeMs?: number;
  /** An unknown `kid` re-reads the JWKS at most once per bank in this interval. Default 60 s. */
  readonly refetchIntervalMs?: number;
}

const JwksSchema = v.object({ keys: v.array(v.looseObject({ kty: v.string() })) });

export class BankSigningKeys {
  private readonly cache = new Map<string, { keys: BankKeySet; fetchedAtMs: number }>();
  private readonly lastRefetchMs = new Map<string, number>();
  private readonly maxAgeMs: number;
  private readonly refetchIntervalMs: number;

  constructor(
    private readonly fetchJwks: (bank: AspspRegistryEntry) => Promise<unknown>,
    private readonly options: BankSigningKeysOptions,
  ) {
    this.maxAgeMs = options.maxAgeMs ?? 60 * 60 * 1000;
    this.refetchIntervalMs = options.refetchIntervalMs ?? 60 * 1000;
  }

  private async load(bank: AspspRegistryEntry): Promise<BankKeySet> {
    const document = v.safeParse(JwksSchema, await this.fetchJwks(bank));
    if (!document.success) throw new Error(`Bank ${bank.id} JWKS is not a JWK set`);
    // The keys were checked to be objects with a kty; jose validates each key when a signature uses it.
    const jwks: JSONWebKeySet = { keys: document.output.keys };
    const keys = createLocalJWKSet(jwks);
    this.cache.set(bank.id, { keys, fetchedAtMs: this.options.now().getTime() });
    return keys;
  }

  private async current(bank: AspspRegistryEntry): Promise<BankKeySet> {
    const cached = this.cache.get(bank.id);
    if (cached !== undefined && this.options.now().getTime() - cached.fetchedAtMs < this.maxAgeMs) return cached.keys;
    return this.load(bank);
  }

  /**
   * Runs `use` (a jose verification) with the bank's keys; when jose finds no key for the `kid`, reads the JWKS once
   * more (rate-limited) and runs it again. Errors of `use` and of reading the JWKS propagate.
   */
  async withKeys<T>(bank: AspspRegistryEntry, use: (keys: BankKeySet) => Promise<T>): Promise<T> {
    try {
      return await use(await this.current(bank));
    } catch (error) {
      if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
      const nowMs = this.options.now().getTime();
      const last = this.lastRefetchMs.get(bank.id);
      if (last !== undefined && nowMs - last < this.refetchIntervalMs) throw error;
      this.lastRefetchMs.set(bank.id, nowMs);
      return use(await this.load(bank));
    }
  }
}
