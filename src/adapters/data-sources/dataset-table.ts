import type { FeatureSchema, LabelSpec, Task } from '../../domain/features.js';
import { categorical, numeric, type Column, type Table } from '../../stats/table.js';
import { DatasetSchemaError } from './errors.js';

/** What a dataset must look like: the model's features and its label. */
export interface DatasetSchema {
  readonly task: Task;
  readonly features: FeatureSchema;
  readonly label: LabelSpec;
}

const MISSING = new Set(['', 'na', 'nan', 'null', 'none']);
const TRUE = new Set(['true', 'yes', 'y']);
const FALSE = new Set(['false', 'no', 'n']);

type Where = { file: string; column: string; line: number };

function readNumber(value: unknown, where: Where, isLabel: boolean): number {
  if (value === null || value === undefined) return Number.NaN;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const text = String(value).trim();
  const lower = text.toLowerCase();
  if (MISSING.has(lower)) return Number.NaN;
  if (isLabel && TRUE.has(lower)) return 1;
  if (isLabel && FALSE.has(lower)) return 0;
  const x = Number(text);
  if (Number.isNaN(x)) {
    throw new DatasetSchemaError(
      `${where.file} line ${where.line}: column "${where.column}" is declared numeric but holds "${text.slice(0, 40)}"; fix the value or declare the feature categorical`,
      where.file,
      where.column,
      where.line,
    );
  }
  return x;
}

const readCategory = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  const text = String(value);
  return text === '' ? null : text;
};

/**
 * Checks that every required column is present, before any row is read.
 * @throws DatasetSchemaError naming the first missing column and the file
 */
export function checkColumns(present: ReadonlySet<string>, schema: DatasetSchema, file: string): void {
  const required = [...schema.features.filter((f) => f.required).map((f) => f.name), schema.label.name];
  const missing = required.filter((name) => !present.has(name));
  const first = missing[0];
  if (first !== undefined) {
    const all = missing.length > 1 ? ` (missing: ${missing.join(', ')})` : '';
    throw new DatasetSchemaError(
      `${file}: required column "${first}" is missing${all}; the file has columns ${[...present].join(', ') || '(none)'}`,
      file,
      first,
    );
  }
}

/** Accumulates rows of one or more files into the columnar Table trainers and statistics use. */
export class DatasetTableBuilder {
  private readonly numeric = new Map<string, number[]>();
  private readonly categorical = new Map<string, (string | null)[]>();
  private rows = 0;

  constructor(private readonly schema: DatasetSchema) {
    for (const f of schema.features) {
      if (f.type === 'numeric') this.numeric.set(f.name, []);
      else this.categorical.set(f.name, []);
    }
    this.numeric.set(schema.label.name, []);
  }

  /** Adds one row; `get(column)` returns the raw value or undefined when the column is absent. */
  /** Adds one CSV record whose fields sit at the header positions in `index`. */
  addCsvRow(index: ReadonlyMap<string, number>, row: readonly string[], file: string, line: number): void {
    this.add(
      (column) => {
        const i = index.get(column);
        return i === undefined ? undefined : row[i];
      },
      file,
      line,
    );
  }

  add(get: (column: string) => unknown, file: string, line: number): void {
    for (const [name, values] of this.numeric) {
      values.push(readNumber(get(name), { file, column: name, line }, name === this.schema.label.name));
    }
    for (const [name, values] of this.categorical) values.push(readCategory(get(name)));
    this.rows++;
  }

  get rowCount(): number {
    return this.rows;
  }

  build(): Table {
    const columns: Record<string, Column> = {};
    for (const [name, values] of this.numeric) columns[name] = numeric(values);
    for (const [name, values] of this.categorical) columns[name] = categorical(values);
    return { rowCount: this.rows, columns };
  }
}

/** Picks rows `indices` (in that order) out of a table. */
export function takeRows(table: Table, indices: ArrayLike<number>): Table {
  const columns: Record<string, Column> = {};
  for (const [name, column] of Object.entries(table.columns)) {
    if (column.kind === 'numeric') {
      const out = new Float64Array(indices.length);
      for (let i = 0; i < indices.length; i++) out[i] = column.values[indices[i] ?? 0] ?? Number.NaN;
      columns[name] = numeric(out);
    } else {
      columns[name] = categorical(
        Array.from({ length: indices.length }, (_, i) => column.values[indices[i] ?? 0] ?? null),
      );
    }
  }
  return { rowCount: indices.length, columns };
}

/** Stacks tables with the same columns (row order kept). */
export function concatTables(tables: readonly Table[]): Table {
  const first = tables[0];
  if (!first) return { rowCount: 0, columns: {} };
  if (tables.length === 1) return first;
  const columns: Record<string, Column> = {};
  for (const [name, column] of Object.entries(first.columns)) {
    if (column.kind === 'numeric') {
      const parts = tables.map((t) => t.columns[name]?.values as Float64Array);
      const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
      let offset = 0;
      for (const p of parts) {
        out.set(p, offset);
        offset += p.length;
      }
      columns[name] = numeric(out);
    } else {
      columns[name] = categorical(tables.flatMap((t) => [...(t.columns[name]?.values ?? [])] as (string | null)[]));
    }
  }
  return { rowCount: tables.reduce((n, t) => n + t.rowCount, 0), columns };
}
