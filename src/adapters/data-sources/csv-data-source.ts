import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseCsv } from './csv-text.js';
import type { CsvRecencyWindow } from '../../domain/model-spec/data-source-config.js';
import type { Table } from '../../stats/table.js';
import { checkColumns, DatasetTableBuilder, takeRows, type DatasetSchema } from './dataset-table.js';
import { recencyKeeps } from './recency-window.js';
import { parseTime } from './time-column.js';
import { DatasetSchemaError, DataSourceError } from './errors.js';
import type { DataSource, SnapshotRequest } from './port.js';
import type { SnapshotRef } from '../../domain/records/snapshot-ref.js';
import type { BuildProfile } from './reference-profile.js';
import { writeSplitSnapshot } from './write-split-snapshot.js';

export interface CsvDataSourceOptions {
  readonly snapshotRoot: string;
  /** Resolves relative `dataSource.path`s (specs loaded with loadModelSpec are already absolute). */
  readonly baseDir?: string;
  readonly buildProfile?: BuildProfile;
}

const FORMAT_BY_EXT: Record<string, 'csv' | 'jsonl'> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl' };

/**
 * Data source over a local CSV (with header) or JSONL file, or a folder of them (read in
 * name order and stacked). Every file is checked against the spec's feature schema before
 * its rows are read. Windows are ignored: the snapshot is the whole dataset as it is now,
 * or its recent rows when the spec sets a recency window over a time column.
 */
export class CsvDataSource implements DataSource {
  readonly kind = 'csv' as const;
  constructor(private readonly options: CsvDataSourceOptions) {}

  async snapshot({ spec, since }: SnapshotRequest): Promise<SnapshotRef> {
    const config = spec.dataSource;
    if (config.kind !== 'csv')
      throw new DataSourceError(`CsvDataSource cannot snapshot a "${config.kind}" data source`);
    const root = path.resolve(this.options.baseDir ?? process.cwd(), config.path);
    const files = await listDataFiles(root, config.format);
    const schema: DatasetSchema = { task: spec.task, features: spec.features, label: spec.label };
    const builder = new DatasetTableBuilder(schema);
    const timeColumn = config.recency?.timeColumn;
    const times: number[] = [];
    const fileHashes: { file: string; sha256: string }[] = [];
    for (const { file, format } of files) {
      const text = await readFile(file, 'utf8');
      fileHashes.push({ file, sha256: createHash('sha256').update(text).digest('hex') });
      const addTime = timeColumn
        ? (get: (column: string) => unknown, line: number) => {
            times.push(parseTime(get(timeColumn), { file, column: timeColumn, line }));
          }
        : undefined;
      if (format === 'csv') addCsv(text, file, schema, builder, timeColumn, addTime);
      else addJsonl(text, file, schema, builder, timeColumn, addTime);
    }
    const all = builder.build();
    const table = config.recency ? recentRows(all, times, config.recency, since) : all;
    return writeSplitSnapshot(this.options.snapshotRoot, {
      modelId: spec.id,
      schema,
      features: spec.features,
      table,
      heldOutFraction: config.heldOutFraction,
      splitSeed: config.splitSeed,
      buildProfile: this.options.buildProfile,
      source: { ...config, path: root, files: fileHashes },
    });
  }
}

async function listDataFiles(
  root: string,
  format?: 'csv' | 'jsonl',
): Promise<{ file: string; format: 'csv' | 'jsonl' }[]> {
  const info = await stat(root).catch(() => {
    throw new DataSourceError(`Data path ${root} does not exist`);
  });
  const names = info.isDirectory() ? (await readdir(root)).sort().map((n) => path.join(root, n)) : [root];
  const files = names.flatMap((file) => {
    const detected = format ?? FORMAT_BY_EXT[path.extname(file).toLowerCase()];
    return detected ? [{ file, format: detected }] : [];
  });
  if (files.length === 0) throw new DataSourceError(`No .csv, .jsonl or .ndjson files in ${root}`);
  return files;
}

/** The rows a recency window keeps: windows of `windowMs` back from the newest time, and from `since` on. */
function recentRows(table: Table, times: readonly number[], recency: CsvRecencyWindow, since?: number): Table {
  const latest = times.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  const keeps = recencyKeeps(latest, recency.windowMs ?? 1, recency, since);
  const kept = times.flatMap((t, r) => (keeps(t) ? [r] : []));
  return kept.length === table.rowCount ? table : takeRows(table, kept);
}

type AddTime = (get: (column: string) => unknown, line: number) => void;

/** The recency window's time column must be there too, or no row can be placed in a window. */
function checkTimeColumn(present: ReadonlySet<string>, file: string, timeColumn: string | undefined): void {
  if (timeColumn !== undefined && !present.has(timeColumn))
    throw new DatasetSchemaError(
      `${file} has no column "${timeColumn}" (dataSource.recency.timeColumn)`,
      file,
      timeColumn,
    );
}

function addCsv(
  text: string,
  file: string,
  schema: DatasetSchema,
  builder: DatasetTableBuilder,
  timeColumn?: string,
  addTime?: AddTime,
): void {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new DatasetSchemaError(`${file} is empty: expected a header row naming the columns`, file);
  const names = header.map((h) => h.trim());
  checkColumns(new Set(names), schema, file);
  checkTimeColumn(new Set(names), file, timeColumn);
  const index = new Map(names.map((name, i) => [name, i] as const));
  rows.forEach((row, r) => {
    if (row.length === 1 && row[0] === '') return; // blank line
    if (row.length !== names.length) {
      throw new DatasetSchemaError(
        `${file} line ${r + 2}: ${row.length} fields but the header has ${names.length}`,
        file,
        undefined,
        r + 2,
      );
    }
    builder.addCsvRow(index, row, file, r + 2);
    addTime?.((column) => row[index.get(column) ?? -1], r + 2);
  });
}

function addJsonl(
  text: string,
  file: string,
  schema: DatasetSchema,
  builder: DatasetTableBuilder,
  timeColumn?: string,
  addTime?: AddTime,
): void {
  let checked = false;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      throw new DatasetSchemaError(`${file} line ${i + 1}: not valid JSON`, file, undefined, i + 1);
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new DatasetSchemaError(`${file} line ${i + 1}: expected a JSON object per line`, file, undefined, i + 1);
    }
    const row = record as Record<string, unknown>;
    if (!checked) {
      checkColumns(new Set(Object.keys(row)), schema, file);
      checkTimeColumn(new Set(Object.keys(row)), file, timeColumn);
      checked = true;
    }
    builder.add((column) => row[column], file, i + 1);
    addTime?.((column) => row[column], i + 1);
  });
}
