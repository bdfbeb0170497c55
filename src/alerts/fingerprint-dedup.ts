import { ExpiringKeys } from './expiring-keys.js';

/**
 * Remembers which alert fingerprints were already signalled, for `ttlMs`. Alertmanager
 * re-sends a firing group every `repeat_interval` and on every group change; one drift
 * alert should reach the flywheel once per TTL, not once per notification.
 */
export class FingerprintDedup {
  private readonly seen: ExpiringKeys;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    maxEntries = 10_000,
  ) {
    this.seen = new ExpiringKeys(now, maxEntries);
  }

  /** True when this key was recorded less than the TTL ago. */
  isDuplicate(key: string): boolean {
    return this.seen.has(key);
  }

  /** Records a key as signalled (call only after the signal succeeded, so failures retry). */
  record(key: string): void {
    this.seen.add(key, this.now() + this.ttlMs);
  }
}
