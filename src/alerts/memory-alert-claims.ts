import type { AlertClaimStore } from '../domain/alert-claims.js';
import { ExpiringKeys } from './expiring-keys.js';

/**
 * Claims held in this process's memory: the webhook's default when it is given no shared
 * store (unit tests, an embedder with one replica and no database). They are lost on a
 * restart and not seen by other replicas; `flywheel up` and the gateway process pass the
 * serving-state database's store instead. Bounded: past `maxEntries` the oldest go first.
 */
export class MemoryAlertClaims implements AlertClaimStore {
  private readonly keys: ExpiringKeys;

  constructor(now: () => number = Date.now, maxEntries = 100_000) {
    this.keys = new ExpiringKeys(now, maxEntries);
  }

  async claim(key: string, untilMs: number): Promise<boolean> {
    if (this.keys.has(key)) return false;
    this.keys.add(key, untilMs);
    return true;
  }

  async extend(key: string, untilMs: number): Promise<void> {
    this.keys.add(key, untilMs);
  }

  async release(key: string): Promise<void> {
    this.keys.delete(key);
  }

  get size(): number {
    return this.keys.size;
  }
}
