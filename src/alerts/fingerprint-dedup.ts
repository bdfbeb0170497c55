/**
 * Remembers which alert fingerprints were already signalled, for `ttlMs`. Alertmanager
 * re-sends a firing group every `repeat_interval` and on every group change; one drift
 * alert should reach the flywheel once per TTL, not once per notification.
 */
export class FingerprintDedup {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 10_000,
  ) {}

  /** True when this key was recorded less than the TTL ago. */
  isDuplicate(key: string): boolean {
    const at = this.seen.get(key);
    return at !== undefined && this.now() - at < this.ttlMs;
  }

  /** Records a key as signalled (call only after the signal succeeded, so failures retry). */
  record(key: string): void {
    this.seen.delete(key); // re-insert at the end: Map order is our eviction order
    this.seen.set(key, this.now());
    if (this.seen.size > this.maxEntries) this.evict();
  }

  private evict(): void {
    const cutoff = this.now() - this.ttlMs;
    for (const [key, at] of this.seen) {
      if (at < cutoff || this.seen.size > this.maxEntries) this.seen.delete(key);
      else break;
    }
  }
}
