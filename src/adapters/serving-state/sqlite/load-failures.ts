import type Database from 'better-sqlite3';
import { z } from 'zod';
import {
  loadFailureRecordSchema,
  type LoadFailureRecord,
  type LoadFailureSummary,
  type UnservableKind,
} from '../../../domain/rollout/serviceability.js';
import { ServingInputError, type LoadFailureQuery } from '../serving-state.js';

const querySchema = z
  .object({
    modelId: z.string().min(1),
    version: z.number().int().min(1),
    fromMs: z.number().int().min(0),
    toMs: z.number().int().min(0),
  })
  .refine((q) => q.toMs >= q.fromMs, { message: 'toMs must be >= fromMs', path: ['toMs'] });

const issues = (e: z.ZodError) => e.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

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
    const f = loadFailureRecordSchema.safeParse(failure);
    if (!f.success) throw new ServingInputError(`invalid load failure record: ${issues(f.error)}`);
    this.insert.run(f.data.modelId, f.data.version, f.data.kind, f.data.message, f.data.atMs);
  }

  read(query: LoadFailureQuery): LoadFailureSummary | null {
    const q = querySchema.safeParse(query);
    if (!q.success) throw new ServingInputError(`invalid load failure query: ${issues(q.error)}`);
    const row = this.summary.get(q.data) as {
      count: number;
      lastAtMs: number | null;
      kind: string | null;
      message: string | null;
    };
    if (row.count === 0 || row.kind === null || row.lastAtMs === null) return null;
    return { count: row.count, kind: row.kind as UnservableKind, message: row.message ?? '', lastAtMs: row.lastAtMs };
  }
}
