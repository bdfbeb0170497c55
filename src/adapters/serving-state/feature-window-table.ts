import { categorical, numeric, type Column, type Table } from '../../stats/table.js';
import type { FeatureWindow, FeatureWindowQuery } from './serving-state.js';

/** One logged request of a feature window, oldest first, as a backend read it. */
export interface FeatureWindowRow {
  features: Record<string, unknown>;
  prediction: number | null;
  /** P(class 1) the gateway answered with (classifiers); null for regressors and rows logged without it. */
  probability?: number | null;
  label: number | null;
  version: number;
}

/** Logged rows as the columnar window drift checks read (the same on every backend). */
export function featureWindowOf(
  rows: readonly FeatureWindowRow[],
  kinds: FeatureWindowQuery['columns'],
): FeatureWindow {
  const names = new Set<string>(Object.keys(kinds ?? {}));
  for (const r of rows) for (const k of Object.keys(r.features)) names.add(k);
  const columns: Record<string, Column> = {};
  for (const name of names) columns[name] = toColumn(rows, name, kinds?.[name]);
  const table: Table = { rowCount: rows.length, columns };
  return {
    table,
    labels: Float64Array.from(rows, (r) => r.label ?? Number.NaN),
    predictions: Float64Array.from(rows, (r) => r.prediction ?? Number.NaN),
    probabilities: Float64Array.from(rows, (r) => r.probability ?? Number.NaN),
    versions: Int32Array.from(rows, (r) => r.version),
  };
}

function toColumn(rows: readonly FeatureWindowRow[], name: string, kind?: 'numeric' | 'categorical'): Column {
  const first = rows.map((r) => r.features[name]).find((v) => v !== null && v !== undefined);
  const k =
    kind ??
    (first === undefined || typeof first === 'number' || typeof first === 'boolean' ? 'numeric' : 'categorical');
  if (k === 'numeric') {
    return numeric(
      Float64Array.from(rows, (r) => {
        const v = r.features[name];
        return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : Number.NaN;
      }),
    );
  }
  return categorical(
    rows.map((r) => (r.features[name] === null || r.features[name] === undefined ? null : String(r.features[name]))),
  );
}
