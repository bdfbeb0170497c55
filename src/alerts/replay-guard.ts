import { ExpiringKeys } from './expiring-keys.js';

/**
 * Remembers signed requests already accepted, until their timestamp leaves the tolerance
 * window; after that the window check refuses them anyway, so the memory can go. It is
 * per process: behind several webhook replicas, a replay could reach each replica once
 * within the window.
 */
export class ReplayGuard {
  private readonly seen: ExpiringKeys;

  constructor(
    private readonly toleranceSec: number,
    now: () => number = Date.now,
    maxEntries = 100_000,
  ) {
    this.seen = new ExpiringKeys(now, maxEntries);
  }

  /**
   * Claims a signed request: true the first time `key` is seen within the window, false
   * for a replay. Only authenticated requests reach here, so only holders of the secret
   * can fill the set; past `maxEntries` the oldest claims are forgotten first.
   */
  claim(key: string, timestampSec: number): boolean {
    if (this.seen.has(key)) return false;
    // Until the moment this timestamp is too old to pass the window check.
    this.seen.add(key, (timestampSec + this.toleranceSec + 1) * 1000);
    return true;
  }

  /** Forgets a claim, so the same signed request may be retried (e.g. after a 503). */
  release(key: string): void {
    this.seen.delete(key);
  }

  get size(): number {
    return this.seen.size;
  }
}
