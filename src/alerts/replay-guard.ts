/**
 * Remembers signed requests already accepted, until their timestamp leaves the tolerance
 * window; after that the window check refuses them anyway, so the memory can go. It is
 * per process: behind several webhook replicas, a replay could reach each replica once
 * within the window.
 */
export class ReplayGuard {
  /** Key → epoch ms from which its timestamp is too old to pass the window check. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly toleranceSec: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 100_000,
  ) {}

  /**
   * Claims a signed request: true the first time `key` is seen within the window, false
   * for a replay. Only authenticated requests reach here, so only holders of the secret
   * can fill the set; past `maxEntries` the oldest claims are forgotten first.
   */
  claim(key: string, timestampSec: number): boolean {
    const nowMs = this.now();
    const until = this.seen.get(key);
    if (until !== undefined && until > nowMs) return false;
    this.pruneHead(nowMs);
    this.seen.delete(key);
    this.seen.set(key, (timestampSec + this.toleranceSec + 1) * 1000);
    if (this.seen.size > this.maxEntries) this.evict(nowMs);
    return true;
  }

  /** Forgets a claim, so the same signed request may be retried (e.g. after a 503). */
  release(key: string): void {
    this.seen.delete(key);
  }

  get size(): number {
    return this.seen.size;
  }

  // Arrival order roughly follows timestamp order, so expired entries gather at the head.
  private pruneHead(nowMs: number): void {
    for (const [key, until] of this.seen) {
      if (until > nowMs) break;
      this.seen.delete(key);
    }
  }

  private evict(nowMs: number): void {
    for (const [key, until] of this.seen) if (until <= nowMs) this.seen.delete(key);
    for (const key of this.seen.keys()) {
      if (this.seen.size <= this.maxEntries) break;
      this.seen.delete(key);
    }
  }
}
