import type Database from 'better-sqlite3';
import type { LoadFailureRecord, LoadFailureSummary, UnservableKind } from '../../../domain/rollout/serviceability.js';
import { parseLoadFailureQuery, parseLoadFailureRecord } from '../load-failure-input.js';
import type { LoadFailureQuery } from '../serving-state.js';

/**
 * The gateway's failures to load a version, one row per failed attempt. The gateway
 * retries a failed version at most once per retry interval, so a request storm against a
 * tampered canary writes a handful of rows, not one per request.
 */
export class LoadFailureTable {
  private readonly insert: Database.Statement;
  private readonly summary: Database.Statement;

  constructor(db: Database.Database) {
    this.insert = db.prepare('INSERT INTO load_failures (model_id, version, kind, message, ts) VALUES (?, ?, ?, ?, ?)');
    this.summary = db.prepare(
      `SELECT COUNT(*) AS count, MAX(ts) AS lastAtMs,
              (SELECT kind FROM load_failures WHERE model_id = @modelId AND version = @version AND ts >= @fromMs AND ts < @toMs ORDER BY ts DESC, id DESC LIMIT 1) AS kind,
              (SELECT message FROM load_failures WHERE model_id = @modelId AND version = @version AND ts >= @fromMs AND ts < @toMs ORDER BY ts DESC, id DESC LIMIT 1) AS message
       FROM load_failures WHERE model_id = @modelId AND version = @version AND ts >= @fromMs AND ts < @toMs`,
    );
  }

  record(failure: LoadFailureRecord): void {
    const f = parseLoadFailureRecord(failure);
    this.insert.run(f.modelId, f.version, f.kind, f.message, f.atMs);
  }

  read(query: LoadFailureQuery): LoadFailureSummary | null {
    const row = this.summary.get(parseLoadFailureQuery(query)) as {
      count: number;
      lastAtMs: number | null;
      kind: string | null;
      message: string | null;
    };
    if (row.count === 0 || row.kind === null || row.lastAtMs === null) return null;
    return { count: row.count, kind: row.kind as UnservableKind, message: row.message ?? '', lastAtMs: row.lastAtMs };
  }
}
