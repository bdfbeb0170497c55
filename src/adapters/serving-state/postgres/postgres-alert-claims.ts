import type pg from 'pg';
import type { AlertClaimStore } from '../../../domain/alert-claims.js';

/** Prune expired claims once per this many claims (a delete over the expiry index, not per request). */
const PRUNE_EVERY = 500;

/**
 * Alert claims (webhook de-dup and HMAC replay guard) in the PostgreSQL serving-state
 * database, shared by webhook replicas on any number of machines. One upsert per claim: it
 * inserts the key, or takes over a claim that has expired; the row lock on the key makes
 * two replicas' claims take turns, and the row count says whether this caller got it.
 */
export class PostgresAlertClaims implements AlertClaimStore {
  private claims = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly ready: Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(key: string, untilMs: number): Promise<boolean> {
    await this.ready;
    const now = this.now();
    if (++this.claims % PRUNE_EVERY === 0)
      await this.pool.query('DELETE FROM alert_claims WHERE until_ms <= $1', [now]);
    const { rowCount } = await this.pool.query(
      `INSERT INTO alert_claims (key, until_ms) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET until_ms = excluded.until_ms WHERE alert_claims.until_ms <= $3`,
      [key, untilMs, now],
    );
    return rowCount === 1;
  }

  async extend(key: string, untilMs: number): Promise<void> {
    await this.ready;
    await this.pool.query('UPDATE alert_claims SET until_ms = $1 WHERE key = $2', [untilMs, key]);
  }

  async release(key: string): Promise<void> {
    await this.ready;
    await this.pool.query('DELETE FROM alert_claims WHERE key = $1', [key]);
  }
}
