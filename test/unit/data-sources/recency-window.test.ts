import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { CsvDataSource } from '../../../src/adapters/data-sources/csv-data-source.js';
import { DatasetSchemaError } from '../../../src/adapters/data-sources/errors.js';
import { recencyKeeps } from '../../../src/adapters/data-sources/recency-window.js';
import { readSnapshotManifest, readSnapshotTable } from '../../../src/adapters/data-sources/snapshot-store.js';
import { SyntheticDataSource } from '../../../src/adapters/data-sources/synthetic-data-source.js';
import { modelSpecSchema, parseModelSpec, type ModelSpecInput } from '../../../src/domain/model-spec/model-spec.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ct-recency-'));
});

const keptOf = (keeps: (p: number) => boolean, positions: number[]) => positions.filter(keeps);
const windows = Array.from({ length: 10 }, (_, i) => i);

describe('recencyKeeps', () => {
  it('keeps everything without a recency window (the default keeps today’s behaviour)', () => {
    expect(keptOf(recencyKeeps(9, 1, undefined, 7), windows)).toEqual(windows);
    expect(keptOf(recencyKeeps(9, 1, { sinceChange: false }, 7), windows)).toEqual(windows);
  });

  it('keeps the last N windows, the newest counting as one', () => {
    expect(keptOf(recencyKeeps(9, 1, { lastWindows: 3, sinceChange: false }), windows)).toEqual([7, 8, 9]);
  });

  it('keeps rows from the detected change on, and the later start wins when both are set', () => {
    expect(keptOf(recencyKeeps(9, 1, { sinceChange: true }, 6), windows)).toEqual([6, 7, 8, 9]);
    expect(keptOf(recencyKeeps(9, 1, { lastWindows: 2, sinceChange: true }, 6), windows)).toEqual([8, 9]);
    expect(keptOf(recencyKeeps(9, 1, { lastWindows: 8, sinceChange: true }, 6), windows)).toEqual([6, 7, 8, 9]);
  });

  it('ignores sinceChange without a detected change, and never keeps nothing for a change in the future', () => {
    expect(keptOf(recencyKeeps(9, 1, { sinceChange: true }), windows)).toEqual(windows);
    expect(keptOf(recencyKeeps(9, 1, { sinceChange: true }, 42), windows)).toEqual([9]);
  });

  it('works on times: windows of `unit` ms back from the newest time', () => {
    const hour = 3_600_000;
    const times = [0, 1, 2, 3, 4].map((h) => h * hour);
    expect(keptOf(recencyKeeps(4 * hour, hour, { lastWindows: 2, sinceChange: false }), times)).toEqual([
      3 * hour,
      4 * hour,
    ]);
  });
});

describe('data sources with a recency window', () => {
  const seaSource = (recency?: Record<string, unknown>) =>
    parseModelSpec({
      id: 'recent',
      task: 'binaryClassification',
      features: ['f1', 'f2', 'f3'].map((name) => ({ name, type: 'numeric' as const })),
      label: { name: 'y' },
      dataSource: {
        kind: 'synthetic',
        generator: { name: 'sea' },
        rowsPerWindow: 100,
        windowsPerSnapshot: 8,
        ...(recency ? { recency } : {}),
      },
      trainer: { kind: 'builtin' },
    } as ModelSpecInput);

  it('synthetic: a snapshot after a change takes only the windows since it (and all 8 without recency)', async () => {
    const source = new SyntheticDataSource({ snapshotRoot: path.join(root, 'snapshots') });
    const all = await source.snapshot({ spec: seaSource(), window: 12, since: 10 });
    const recent = await source.snapshot({ spec: seaSource({ sinceChange: true }), window: 12, since: 10 });
    const last = await source.snapshot({ spec: seaSource({ lastWindows: 2 }), window: 12 });
    expect((await readSnapshotManifest(all.path)).source).toMatchObject({ windows: [5, 6, 7, 8, 9, 10, 11, 12] });
    expect((await readSnapshotManifest(recent.path)).source).toMatchObject({ windows: [10, 11, 12] });
    expect((await readSnapshotManifest(last.path)).source).toMatchObject({ windows: [11, 12] });
    expect(recent.rowCount).toBe(300);
  });

  const csvSpec = (recency: Record<string, unknown>) =>
    parseModelSpec({
      id: 'csv-recent',
      task: 'binaryClassification',
      features: [{ name: 'x', type: 'numeric' }],
      label: { name: 'y' },
      dataSource: { kind: 'csv', path: path.join(root, 'data.csv'), recency },
      trainer: { kind: 'builtin' },
    });

  it('csv: keeps the rows of the last windows of the time column, or those since the change', async () => {
    const day = (d: number) => `2026-01-${String(d).padStart(2, '0')}T12:00:00Z`;
    const rows = Array.from({ length: 10 }, (_, i) => `${day(i + 1)},${i},${i % 2}`);
    await writeFile(path.join(root, 'data.csv'), `t,x,y\n${rows.join('\n')}\n`);
    const source = new CsvDataSource({ snapshotRoot: path.join(root, 'snapshots') });
    const xsOf = async (ref: { path: string }) => {
      const parts = await Promise.all(
        (['train', 'heldOut'] as const).map(async (s) => [
          ...((await readSnapshotTable(ref.path, s)).table.columns.x!.values as Float64Array),
        ]),
      );
      return parts.flat().sort((a, b) => a - b);
    };
    const lastThree = await source.snapshot({ spec: csvSpec({ timeColumn: 't', lastWindows: 3, windowMs: '1d' }) });
    expect(await xsOf(lastThree)).toEqual([7, 8, 9]);
    const since = await source.snapshot({
      spec: csvSpec({ timeColumn: 't', sinceChange: true }),
      since: Date.parse(day(6)),
    });
    expect(await xsOf(since)).toEqual([5, 6, 7, 8, 9]);
  });

  it('csv: a missing time column is refused naming the spec field', async () => {
    await writeFile(path.join(root, 'data.csv'), 'x,y\n1,0\n2,1\n');
    const source = new CsvDataSource({ snapshotRoot: path.join(root, 'snapshots') });
    const refused = await source
      .snapshot({ spec: csvSpec({ timeColumn: 'when', sinceChange: true }) })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DatasetSchemaError);
    expect(refused).toMatchObject({
      column: 'when',
      message: expect.stringContaining('dataSource.recency.timeColumn'),
    });
  });

  it('refuses lastWindows over a time column without windowMs, naming the field', () => {
    const result = modelSpecSchema.safeParse({
      id: 'x',
      task: 'binaryClassification',
      features: [{ name: 'x', type: 'numeric' }],
      label: { name: 'y' },
      dataSource: { kind: 'csv', path: 'd.csv', recency: { timeColumn: 't', lastWindows: 3 } },
      trainer: { kind: 'builtin' },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['dataSource', 'recency', 'windowMs'] });
    expect(result.error?.issues[0]?.message).toMatch(/lastWindows needs windowMs/);
  });
});
