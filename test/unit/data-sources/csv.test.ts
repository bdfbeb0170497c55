import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { CsvDataSource } from '../../../src/adapters/data-sources/csv-data-source.js';
import { DatasetSchemaError, DataSourceError } from '../../../src/adapters/data-sources/errors.js';
import { readSnapshotTable } from '../../../src/adapters/data-sources/snapshot-store.js';
import { loadModelSpec } from '../../../src/adapters/spec-loader.js';
import { parseModelSpec } from '../../../src/domain/model-spec/model-spec.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
let root: string;
let source: CsvDataSource;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ct-csv-'));
  source = new CsvDataSource({ snapshotRoot: path.join(root, 'snapshots') });
});

const spec = (dataPath: string) =>
  parseModelSpec({
    id: 'loans',
    task: 'binaryClassification',
    features: [
      { name: 'income', type: 'numeric' },
      { name: 'region', type: 'categorical' },
      { name: 'notes_len', type: 'numeric', required: false },
    ],
    label: { name: 'default' },
    dataSource: { kind: 'csv', path: dataPath, heldOutFraction: 0.5 },
    trainer: { kind: 'builtin' },
  });

describe('csv data source', () => {
  it('snapshots the example churn CSV with a deterministic split', async () => {
    const churn = await loadModelSpec(path.join(examples, 'churn-csv.yaml'));
    const ref = await source.snapshot({ spec: churn });
    expect(ref).toMatchObject({ rowCount: 1200, trainRows: 900, heldOutRows: 300 });
    expect((await source.snapshot({ spec: churn })).snapshotId).toBe(ref.snapshotId);
    const { table } = await readSnapshotTable(ref.path, 'train');
    expect(Object.keys(table.columns).sort()).toEqual([
      'churned',
      'contract',
      'monthly_charges',
      'payment_method',
      'support_calls',
      'tenure_months',
    ]);
    expect(table.columns.contract!.kind).toBe('categorical');
    // The CSV has a few empty monthly_charges: kept as missing, not dropped or zeroed.
    expect(Array.from(table.columns.monthly_charges!.values as Float64Array).some(Number.isNaN)).toBe(true);
  });

  it('names the missing required column and the file', async () => {
    const file = path.join(root, 'loans.csv');
    await writeFile(file, 'income,default\n100,0\n200,1\n');
    const err = await source.snapshot({ spec: spec(file) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetSchemaError);
    expect(err).toMatchObject({ name: 'DatasetSchemaError', column: 'region', file });
    expect((err as Error).message).toBe(
      `${file}: required column "region" is missing; the file has columns income, default`,
    );
  });

  it('stacks a folder of CSV and JSONL files; optional columns may be absent', async () => {
    const dir = path.join(root, 'data');
    await mkdir(dir);
    await writeFile(path.join(dir, 'a.csv'), 'region,income,default\n"north, upper",10.5,1\nsouth,,0\n');
    await writeFile(
      path.join(dir, 'b.jsonl'),
      '{"income": 7, "region": "east", "default": true, "extra": 1}\n\n{"income": null, "region": null, "default": "no"}\n',
    );
    await writeFile(path.join(dir, 'README.txt'), 'ignored');
    const ref = await source.snapshot({ spec: spec(dir) });
    expect(ref.rowCount).toBe(4);
    const rows = [
      ...(await readSnapshotTable(ref.path, 'train')).table.columns.region!.values,
      ...(await readSnapshotTable(ref.path, 'heldOut')).table.columns.region!.values,
    ];
    expect(rows.sort()).toEqual(['east', 'north, upper', 'south', null].sort());
  });

  it('names file, line and column of a value that is not a number', async () => {
    const file = path.join(root, 'bad.csv');
    await writeFile(file, 'income,region,default\n10,north,0\nlots,south,1\n');
    await expect(source.snapshot({ spec: spec(file) })).rejects.toThrow(
      /bad\.csv line 3: column "income" is declared numeric but holds "lots"/,
    );
  });

  it('says so when there is nothing to read', async () => {
    await expect(source.snapshot({ spec: spec(path.join(root, 'nope.csv')) })).rejects.toThrow(DataSourceError);
    const empty = path.join(root, 'empty');
    await mkdir(empty);
    await expect(source.snapshot({ spec: spec(empty) })).rejects.toThrow(/No \.csv, \.jsonl or \.ndjson files/);
  });
});
