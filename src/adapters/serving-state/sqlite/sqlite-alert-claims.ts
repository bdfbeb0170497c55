import type Database from 'better-sqlite3';
import type { AlertClaimStore } from '../../../domain/alert-claims.js';

/** Prune expired claims once per this many claims (a delete over the expiry index, not per request). */
const PRUNE_EVERY = 500;

/**
 * Alert claims (webhook de-dup and HMAC replay guard) in the serving-state SQLite file. They
 * survive a restart of the process, and webhook processes on one machine that share the
 * file share them. One upsert per claim: it inserts the key, or takes over a claim that has
 * expired, and reports through its change count whether this caller got it, so two writers
 * can never both win.
 */
export class SqliteAlertClaims implements AlertClaimStore {
  private readonly claimStmt: Database.Statement;
  private readonly extendStmt: Database.Statement;
  private readonly releaseStmt: Database.Statement;
  private readonly pruneStmt: Database.Statement;
  private claims = 0;

  constructor(
    db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS alert_claims (key TEXT PRIMARY KEY, until_ms INTEGER NOT NULL);
             CREATE INDEX IF NOT EXISTS alert_claims_until ON alert_claims (until_ms);`);
    this.claimStmt = db.prepare(
      `INSERT INTO alert_claims (key, until_ms) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET until_ms = excluded.until_ms WHERE alert_claims.until_ms <= ?`,
    );
    this.extendStmt = db.prepare('UPDATE alert_claims SET until_ms = ? WHERE key = ?');
    this.releaseStmt = db.prepare('DELETE FROM alert_claims WHERE key = ?');
    this.pruneStmt = db.prepare('DELETE FROM alert_claims WHERE until_ms <= ?');
  }

  async claim(key: string, untilMs: number): Promise<boolean> {
    const now = this.now();
    if (++this.claims % PRUNE_EVERY === 0) this.pruneStmt.run(now);
    return this.claimStmt.run(key, untilMs, now).changes === 1;
  }

  async extend(key: string, untilMs: number): Promise<void> {
    this.extendStmt.run(untilMs, key);
  }

  async release(key: string): Promise<void> {
    this.releaseStmt.run(key);
  }
}
