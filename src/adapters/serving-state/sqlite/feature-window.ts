import type Database from 'better-sqlite3';
import { categorical, numeric, type Column, type Table } from '../../../stats/table.js';
import type { FeatureWindow, FeatureWindowQuery } from '../serving-state.js';

type Row = { features: string; prediction: number | null; label: number | null; version: number };

/** Logged requests of a window (not shadow copies, not failures) as columns for drift checks. */
export function readFeatureWindow(db: Database.Database, q: FeatureWindowQuery): FeatureWindow {
  const versionClause = q.version === undefined ? '' : ' AND p.version = @version';
  const rows = db
    .prepare(
      `SELECT p.features, p.prediction, l.label, p.version FROM predictions p LEFT JOIN labels l ON l.request_id = p.request_id
       WHERE p.model_id = @modelId AND p.ts >= @fromMs AND p.ts < @toMs AND p.role != 'shadow' AND p.error IS NULL${versionClause}
       ORDER BY p.ts DESC, p.id DESC LIMIT @limit`,
    )
    .all({
      modelId: q.modelId,
      fromMs: q.fromMs,
      toMs: q.toMs,
      limit: q.limit ?? 100_000,
      ...(q.version === undefined ? {} : { version: q.version }),
    }) as Row[];
  rows.reverse(); // oldest first, like a dataset
  const parsed = rows.map((r) => JSON.parse(r.features) as Record<string, unknown>);
  const names = new Set<string>(Object.keys(q.columns ?? {}));
  for (const f of parsed) for (const k of Object.keys(f)) names.add(k);
  const columns: Record<string, Column> = {};
  for (const name of names) columns[name] = toColumn(parsed, name, q.columns?.[name]);
  const table: Table = { rowCount: rows.length, columns };
  return {
    table,
    labels: Float64Array.from(rows, (r) => r.label ?? Number.NaN),
    predictions: Float64Array.from(rows, (r) => r.prediction ?? Number.NaN),
    versions: Int32Array.from(rows, (r) => r.version),
  };
}

function toColumn(rows: Record<string, unknown>[], name: string, kind?: 'numeric' | 'categorical'): Column {
  const first = rows.map((r) => r[name]).find((v) => v !== null && v !== undefined);
  const k =
    kind ??
    (first === undefined || typeof first === 'number' || typeof first === 'boolean' ? 'numeric' : 'categorical');
  if (k === 'numeric') {
    return numeric(
      Float64Array.from(rows, (r) => {
        const v = r[name];
        return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number.NaN;
      }),
    );
  }
  return categorical(rows.map((r) => (r[name] === null || r[name] === undefined ? null : String(r[name]))));
}
