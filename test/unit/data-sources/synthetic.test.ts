import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DatasetSchemaError, SnapshotIntegrityError } from '../../../src/adapters/data-sources/errors.js';
import { readSnapshotManifest, readSnapshotTable } from '../../../src/adapters/data-sources/snapshot-store.js';
import { SyntheticDataSource } from '../../../src/adapters/data-sources/synthetic-data-source.js';
import { parseModelSpec, type ModelSpecInput } from '../../../src/domain/model-spec/model-spec.js';
import { seaSpec } from '../../support/lifecycle-fixtures.js';

let root: string;
let source: SyntheticDataSource;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ct-synth-'));
  source = new SyntheticDataSource({ snapshotRoot: path.join(root, 'snapshots') });
});

const spec = (dataSource: ModelSpecInput['dataSource'], features: ModelSpecInput['features']) =>
  parseModelSpec({
    id: 'synth',
    task: 'binaryClassification',
    features,
    label: { name: 'y' },
    dataSource,
    trainer: { kind: 'builtin' },
  });
const numericFeatures = (...names: string[]) => names.map((name) => ({ name, type: 'numeric' as const }));

describe('synthetic data source', () => {
  it('gives the same rows, id and sha256 for the same window, anywhere', async () => {
    const s = seaSpec({ dataSource: { kind: 'synthetic', generator: { name: 'sea' }, rowsPerWindow: 500 } });
    const a = await source.snapshot({ spec: s, window: 4 });
    const elsewhere = new SyntheticDataSource({ snapshotRoot: path.join(root, 'other') });
    const b = await elsewhere.snapshot({ spec: s, window: 4 });
    expect(b.snapshotId).toBe(a.snapshotId);
    expect(b.sha256).toBe(a.sha256);
    expect(await readFile(path.join(b.path, 'train.csv'), 'utf8')).toBe(
      await readFile(path.join(a.path, 'train.csv'), 'utf8'),
    );
    const c = await source.snapshot({ spec: s, window: 5 });
    expect(c.snapshotId).not.toBe(a.snapshotId);
    expect(a).toMatchObject({ rowCount: 500, trainRows: 375, heldOutRows: 125 });
    // Nothing half-written is left behind, and a second write of the same content is a no-op.
    expect(await source.snapshot({ spec: s, window: 4 })).toEqual(a);
    expect((await readdir(path.join(root, 'snapshots'))).filter((n) => n.startsWith('.tmp'))).toEqual([]);
  });

  it('SEA switches its concept abruptly at the documented window', async () => {
    const s = seaSpec({ dataSource: { kind: 'synthetic', generator: { name: 'sea', noise: 0 }, rowsPerWindow: 400 } });
    const ruleHolds = async (window: number, theta: number) => {
      const ref = await source.snapshot({ spec: s, window });
      const { table } = await readSnapshotTable(ref.path, 'train');
      const [f1, f2, y] = ['f1', 'f2', 'is_fraud'].map((n) => table.columns[n]!.values as Float64Array);
      return Array.from(y!).every((label, i) => label === (f1![i]! + f2![i]! <= theta ? 1 : 0));
    };
    expect(await ruleHolds(9, 8)).toBe(true);
    expect(await ruleHolds(10, 9)).toBe(true);
    expect(await ruleHolds(10, 8)).toBe(false);
    expect(await ruleHolds(20, 7)).toBe(true);
    const manifest = await readSnapshotManifest((await source.snapshot({ spec: s, window: 10 })).path);
    expect(manifest.source.concept).toBe('label = f1 + f2 <= 9 (concept 2 of 4, since window 10)');
  });

  it('SEA label noise flips about the configured share of labels', async () => {
    const s = seaSpec({
      dataSource: { kind: 'synthetic', generator: { name: 'sea', noise: 0.2 }, rowsPerWindow: 4000 },
    });
    const { table } = await readSnapshotTable((await source.snapshot({ spec: s, window: 0 })).path, 'train');
    const [f1, f2, y] = ['f1', 'f2', 'is_fraud'].map((n) => table.columns[n]!.values as Float64Array);
    const flipped =
      Array.from(y!).filter((label, i) => label !== (f1![i]! + f2![i]! <= 8 ? 1 : 0)).length / table.rowCount;
    expect(flipped).toBeGreaterThan(0.17);
    expect(flipped).toBeLessThan(0.23);
  });

  it('rotating hyperplane drifts gradually: nearby windows agree more than distant ones', async () => {
    const s = spec(
      {
        kind: 'synthetic',
        generator: { name: 'rotatingHyperplane', noise: 0, driftPerWindow: 0.05 },
        rowsPerWindow: 200,
      },
      numericFeatures('x1', 'x2', 'x3', 'x4', 'x5'),
    );
    const manifests = await Promise.all(
      [0, 1, 10].map(async (w) => readSnapshotManifest((await source.snapshot({ spec: s, window: w })).path)),
    );
    const weights = manifests.map((m) =>
      String(m.source.concept)
        .match(/w = \[([^\]]+)\]/)![1]!
        .split(', ')
        .map(Number),
    );
    const distance = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]!));
    expect(distance(weights[0]!, weights[1]!)).toBeGreaterThan(0);
    expect(distance(weights[0]!, weights[2]!)).toBeCloseTo(10 * distance(weights[0]!, weights[1]!), 9);
  });

  it('covariate shift moves the segment mix at the shift window', async () => {
    const s = spec(
      { kind: 'synthetic', generator: { name: 'covariateShift', shiftAtWindow: 3 }, rowsPerWindow: 2000 },
      [...numericFeatures('x1', 'x2'), { name: 'segment', type: 'categorical' }],
    );
    const premiumShare = async (window: number) => {
      const { table } = await readSnapshotTable((await source.snapshot({ spec: s, window })).path, 'train');
      const seg = table.columns.segment!.values as (string | null)[];
      return seg.filter((v) => v === 'premium').length / seg.length;
    };
    expect(await premiumShare(2)).toBeLessThan(0.15);
    expect(await premiumShare(3)).toBeGreaterThan(0.4);
  });

  it('refuses a spec whose features the generator does not produce', async () => {
    const s = spec({ kind: 'synthetic', generator: { name: 'sea' } }, numericFeatures('f1', 'amount'));
    await expect(source.snapshot({ spec: s, window: 0 })).rejects.toThrow(DatasetSchemaError);
    await expect(source.snapshot({ spec: s, window: 0 })).rejects.toThrow(
      /synthetic:sea: required column "amount" is missing/,
    );
  });

  it('detects a snapshot file changed after it was written', async () => {
    const ref = await source.snapshot({ spec: seaSpec(), window: 1 });
    const file = path.join(ref.path, 'heldout.csv');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/,1\n/, ',0\n'));
    await expect(readSnapshotTable(ref.path, 'heldOut')).rejects.toThrow(SnapshotIntegrityError);
    await expect(readSnapshotTable(ref.path, 'train')).resolves.toBeDefined();
  });

  it('stores a reference profile of the training features beside the data', async () => {
    const ref = await source.snapshot({ spec: seaSpec(), window: 2 });
    const profile = JSON.parse(await readFile(ref.profilePath, 'utf8'));
    expect(profile.format).toBe('ct-flywheel/reference-profile@1');
    expect(profile.rowCount).toBe(ref.trainRows);
    expect(Object.keys(profile.columns).sort()).toEqual(['f1', 'f2', 'f3']);
  });
});
