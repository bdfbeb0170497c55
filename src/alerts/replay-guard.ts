import type { AlertClaimStore } from '../domain/alert-claims.js';

/**
 * Remembers signed requests already accepted, until their timestamp leaves the tolerance
 * window; after that the window check refuses them anyway, so the claim can go. The claims
 * live in the store the webhook is given: the serving-state database, shared by every
 * replica and kept across restarts, so a captured request is accepted once in all.
 */
export class ReplayGuard {
  constructor(
    private readonly toleranceSec: number,
    private readonly store: AlertClaimStore,
  ) {}

  /**
   * Claims a signed request: true the first time `key` is seen within the window, false
   * for a replay. Only authenticated requests reach here, so only holders of the secret
   * can add claims.
   */
  claim(key: string, timestampSec: number): Promise<boolean> {
    // Until the moment this timestamp is too old to pass the window check.
    return this.store.claim(replayKey(key), (timestampSec + this.toleranceSec + 1) * 1000);
  }

  /** Forgets a claim, so the same signed request may be retried (e.g. after a 503). */
  release(key: string): Promise<void> {
    return this.store.release(replayKey(key));
  }
}

const replayKey = (key: string) => `replay:${key}`;
