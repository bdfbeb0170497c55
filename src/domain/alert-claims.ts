/**
 * Time-limited claims on keys, shared by every alert webhook replica: the alert de-dup
 * ("this episode of this alert was signalled") and the HMAC replay guard ("this signed
 * request was accepted") both claim keys here. A claim is atomic: of two replicas claiming
 * the same live key at once, exactly one gets it. The embedded default keeps claims in the
 * SQLite serving-state file (so they survive a restart of `flywheel up`); replicas on
 * several machines share the PostgreSQL serving-state database.
 */
export interface AlertClaimStore {
  /** Claims `key` until `untilMs` (epoch ms) unless a claim on it is still live; true when this caller got it. */
  claim(key: string, untilMs: number): Promise<boolean>;
  /** Moves the end of a claim this caller holds (from a short lease to the de-dup window). */
  extend(key: string, untilMs: number): Promise<void>;
  /** Drops a claim, so the same key may be claimed again (its delivery failed). */
  release(key: string): Promise<void>;
}
