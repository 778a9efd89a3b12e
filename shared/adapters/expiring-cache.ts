/**
 * What a function instance remembers for a short time (an account's details, a bank account's routing, a tenant's
 * endpoints): entries expire `ttlMs` after they were set, and past `maxEntries` the oldest set is forgotten first, so
 * a long-lived instance never grows without bound. Time is passed in, so callers choose their clock.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { readonly setAt: number; readonly value: V }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1_000,
  ) {}

  /** The value set for `key` less than `ttlMs` before `now` (and not after it: a clock moved back expires it). */
  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (now - entry.setAt < this.ttlMs && now >= entry.setAt) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  set(key: string, value: V, now: number): void {
    // Re-inserted at the end: a Map keeps insertion order, so the first key is always the oldest set.
    this.entries.delete(key);
    this.entries.set(key, { setAt: now, value });
    if (this.entries.size > this.maxEntries) {
      const [oldest] = this.entries.keys();
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets `key` only if it still holds `value` (a newer value set meanwhile stays). */
  deleteIf(key: string, value: V): void {
    if (this.entries.get(key)?.value === value) this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
