import type { AlertClaimStore } from '../domain/alert-claims.js';

/**
 * How long a claim taken before signalling holds if the replica dies before it signals:
 * long enough for one signal round trip, short enough that the sender's retry goes through.
 */
const DELIVERY_LEASE_MS = 30_000;

/**
 * Which alert episodes were already signalled, for `ttlMs`, in the store every webhook
 * replica shares. Alertmanager re-sends a firing group every `repeat_interval` and on every
 * group change, to every replica it is pointed at; one episode of an alert (its
 * fingerprint and `startsAt`) reaches the flywheel once per TTL, not once per notification
 * or per replica. An alert that resolved and fired again has a new `startsAt`: a new episode.
 *
 * A delivery claims its key for a short lease first, signals, then extends the claim to the
 * TTL; a failed delivery releases it. A replica killed between the claim and the signal
 * holds the key only for the lease, so the sender's retry is not lost.
 */
export class FingerprintDedup {
  constructor(
    private readonly store: AlertClaimStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Claims an episode for delivery; false when it was signalled within the TTL or is being signalled now. */
  claim(key: string): Promise<boolean> {
    return this.store.claim(dedupKey(key), this.now() + DELIVERY_LEASE_MS);
  }

  /** The signal went out: the episode counts as signalled for the TTL. */
  delivered(key: string): Promise<void> {
    return this.store.extend(dedupKey(key), this.now() + this.ttlMs);
  }

  /** Nothing was signalled (no flywheel, Temporal unreachable): the next delivery may claim it. */
  release(key: string): Promise<void> {
    return this.store.release(dedupKey(key));
  }
}

const dedupKey = (key: string) => `alert:${key}`;
