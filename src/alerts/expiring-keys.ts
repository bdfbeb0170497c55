/**
 * A bounded in-memory set of keys that each expire at their own time. Map order is
 * insertion order, so re-adding a key moves it to the end and, past `maxEntries`, the
 * expired keys go first and then the oldest additions.
 */
export class ExpiringKeys {
  /** Key → epoch ms at which it expires. */
  private readonly expiresAt = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly maxEntries: number,
  ) {}

  /** True while `key` was added and has not expired. */
  has(key: string): boolean {
    const until = this.expiresAt.get(key);
    return until !== undefined && until > this.now();
  }

  /** Adds (or renews) `key` until `expiresAtMs`. */
  add(key: string, expiresAtMs: number): void {
    const nowMs = this.now();
    this.pruneHead(nowMs);
    this.expiresAt.delete(key);
    this.expiresAt.set(key, expiresAtMs);
    if (this.expiresAt.size > this.maxEntries) this.evict(nowMs);
  }

  delete(key: string): void {
    this.expiresAt.delete(key);
  }

  get size(): number {
    return this.expiresAt.size;
  }

  // Keys usually expire in the order they were added, so expired ones gather at the head.
  private pruneHead(nowMs: number): void {
    for (const [key, until] of this.expiresAt) {
      if (until > nowMs) break;
      this.expiresAt.delete(key);
    }
  }

  private evict(nowMs: number): void {
    for (const [key, until] of this.expiresAt) if (until <= nowMs) this.expiresAt.delete(key);
    for (const key of this.expiresAt.keys()) {
      if (this.expiresAt.size <= this.maxEntries) break;
      this.expiresAt.delete(key);
    }
  }
}
