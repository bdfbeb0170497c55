import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FeatureSchema } from '../domain/features.js';
import { parseCsv } from '../adapters/data-sources/csv-text.js';
import { takeRows } from '../adapters/data-sources/dataset-table.js';
import { parseTime } from '../adapters/data-sources/time-column.js';
import { categorical, numeric, type Column } from '../stats/table.js';
import { HOUR_MS, type BacktestStream } from './backtest-stream.js';
import { BacktestInputError } from './backtest-errors.js';

export interface CsvStreamOptions {
  readonly file: string;
  readonly timeColumn: string;
  readonly labelColumn: string;
  /** Feature columns; default every column but the time and label columns (and `exclude`). */
  readonly features?: readonly string[];
  readonly exclude?: readonly string[];
  /** Rows per window; default: the rows split into `windows` equal windows. */
  readonly windowRows?: number;
  readonly windows?: number;
  /** Known concept changes (window indices), for the oracle. */
  readonly conceptChanges?: readonly number[];
}

const isNumber = (v: string): boolean => v.trim() !== '' && Number.isFinite(Number(v));

/**
 * A stream from a CSV with a time column: rows sorted by time (stable for ties), cut into
 * windows of equal row counts. Numeric columns are those whose every non-empty value is a
 * number; the others are categorical. The label must be 0/1.
 */
export async function readCsvStream(options: CsvStreamOptions): Promise<BacktestStream> {
  const text = await readFile(options.file, 'utf8').catch((err: Error) => {
    throw new BacktestInputError('--csv', `cannot read ${options.file}: ${err.message}`);
  });
  const [header, ...body] = parseCsv(text);
  const records = body.filter((r) => !(r.length === 1 && r[0] === ''));
  if (!header || records.length === 0) throw new BacktestInputError('--csv', `${options.file} has no data rows`);
  const index = new Map(header.map((h, i) => [h.trim(), i] as const));
  for (const [option, column] of [
    ['--time-column', options.timeColumn],
    ['--label-column', options.labelColumn],
  ] as const) {
    if (!index.has(column))
      throw new BacktestInputError(
        option,
        `${options.file} has no column "${column}"; columns: ${[...index.keys()].join(', ')}`,
      );
  }
  const skip = new Set([options.timeColumn, options.labelColumn, ...(options.exclude ?? [])]);
  const names = options.features ? [...options.features] : [...index.keys()].filter((n) => !skip.has(n));
  const missing = names.filter((n) => !index.has(n));
  if (missing.length > 0)
    throw new BacktestInputError('--features', `${options.file} has no column ${missing.join(', ')}`);
  if (names.length === 0) throw new BacktestInputError('--features', 'no feature columns left');
  const field = (r: number, column: string): string => records[r]![index.get(column)!] ?? '';

  const times = records.map((_, r) =>
    parseTime(field(r, options.timeColumn), { file: options.file, column: options.timeColumn, line: r + 2 }),
  );
  const labels = records.map((_, r) => {
    const y = Number(field(r, options.labelColumn));
    if (y !== 0 && y !== 1)
      throw new BacktestInputError(
        '--label-column',
        `${options.file} line ${r + 2}: label "${options.labelColumn}" is ${JSON.stringify(field(r, options.labelColumn))}, expected 0 or 1`,
      );
    return y;
  });
  const features: FeatureSchema = names.map((name) =>
    records.every((_, r) => field(r, name).trim() === '' || isNumber(field(r, name)))
      ? { name, type: 'numeric' as const, required: true }
      : { name, type: 'categorical' as const, required: true },
  );
  const columns: Record<string, Column> = { [options.labelColumn]: numeric(labels) };
  for (const f of features) {
    columns[f.name] =
      f.type === 'numeric'
        ? numeric(records.map((_, r) => (field(r, f.name).trim() === '' ? Number.NaN : Number(field(r, f.name)))))
        : categorical(records.map((_, r) => field(r, f.name) || null));
  }
  const order = times.map((t, r) => [t, r] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const sorted = takeRows(
    { rowCount: records.length, columns },
    order.map(([, r]) => r),
  );
  const windowRows = options.windowRows ?? Math.ceil(records.length / (options.windows ?? 20));
  if (windowRows < 1) throw new BacktestInputError('--window-rows', 'must be at least 1');
  const windowCount = Math.ceil(records.length / windowRows);
  if (windowCount < 3)
    throw new BacktestInputError(
      '--window-rows',
      `${windowRows} rows per window leaves ${windowCount} windows; a backtest needs 3 or more`,
    );
  const span = (order[order.length - 1]![0] - order[0]![0]) / windowCount;
  return {
    name: path.basename(options.file),
    description: `${records.length} rows of ${path.basename(options.file)} by "${options.timeColumn}", ${windowRows} rows per window`,
    features,
    labelName: options.labelColumn,
    windowCount,
    windowMs: span > 0 ? span : HOUR_MS,
    conceptChanges: (options.conceptChanges ?? []).filter((w) => w > 0 && w < windowCount),
    covariateShifts: [],
    irrelevantFeatures: [],
    window: (w) =>
      takeRows(
        sorted,
        Array.from({ length: Math.min(windowRows, records.length - w * windowRows) }, (_, i) => w * windowRows + i),
      ),
  };
}
