/**
 * The label-free performance estimate end to end, without Temporal: a built-in model trained
 * and registered-style calibrated (measureHeldOutEvidence, as registration does) on a window
 * before a change, then scored on later windows whose labels the estimate never sees.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureHeldOutEvidence } from '../../../src/activities/held-out-evidence.js';
import { createGenerator, windowSeed } from '../../../src/adapters/data-sources/synthetic/index.js';
import { SyntheticDataSource } from '../../../src/adapters/data-sources/synthetic-data-source.js';
import { openScorer } from '../../../src/adapters/model-formats/index.js';
import type { ModelSpec } from '../../../src/domain/model-spec/model-spec.js';
import type { ProbabilityCalibration } from '../../../src/domain/records/model-version.js';
import { estimateWindowPerformance } from '../../../src/monitor/estimate-performance.js';
import { createRng } from '../../../src/stats/random.js';
import { SEA_CHANGE_WINDOW, seaSpec, trainBuiltin } from '../../support/lifecycle-fixtures.js';

let root = '';
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ct-cbpe-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

interface WindowFigures {
  readonly window: number;
  readonly realized: number;
  readonly estimated: number;
  readonly lower: number;
  readonly upper: number;
}

/** Trains on `trainWindow`, calibrates on its held-out rows, then estimates and measures each of `windows`. */
async function estimateAndMeasure(spec: ModelSpec, trainWindow: number, windows: number[]): Promise<WindowFigures[]> {
  const source = new SyntheticDataSource({ snapshotRoot: path.join(root, spec.id) });
  const snapshot = await source.snapshot({ spec, window: trainWindow });
  const { artifact } = await trainBuiltin(spec, snapshot);
  const evidence = await measureHeldOutEvidence({
    bytes: artifact,
    sha256: `${spec.id}-${trainWindow}`.padEnd(64, '0'),
    snapshotRoot: path.join(root, spec.id),
    snapshotId: snapshot.snapshotId,
  });
  const calibration = evidence?.calibration as ProbabilityCalibration;
  expect(calibration.method).toBe('isotonic');
  const scorer = await openScorer({ bytes: artifact, features: spec.features ?? null, task: spec.task });
  const config = spec.dataSource;
  if (config.kind !== 'synthetic') throw new Error('synthetic spec expected');
  const generator = createGenerator(config);
  return Promise.all(
    windows.map(async (window) => {
      const rows = generator.generate(window, 5000, createRng(windowSeed(config.seed, window)), spec.label.name);
      const probabilities = await scorer.score(rows);
      const predictions = probabilities.map((p) => (p >= scorer.labelThreshold ? 1 : 0));
      const labels = rows.columns[spec.label.name]!.values as Float64Array;
      const realized = predictions.reduce((s, y, i) => s + (y === labels[i] ? 1 : 0), 0) / rows.rowCount;
      const e = estimateWindowPerformance({ probabilities, predictions }, calibration, { fromMs: 0, toMs: 1 });
      return { window, realized, estimated: e.accuracy!.estimate, lower: e.accuracy!.lower, upper: e.accuracy!.upper };
    }),
  );
}

describe('label-free performance estimate (CBPE)', () => {
  it('follows realized accuracy within 2 points per window through a covariate shift, labels withheld', async () => {
    const spec = seaSpec({
      id: 'covariate-cbpe',
      features: [
        { name: 'x1', type: 'numeric' },
        { name: 'x2', type: 'numeric' },
        { name: 'segment', type: 'categorical', allowedValues: ['retail', 'business', 'premium'] },
      ],
      label: { name: 'y' },
      dataSource: {
        kind: 'synthetic',
        generator: { name: 'covariateShift', noise: 0, shiftAtWindow: 3 },
        seed: 11,
        rowsPerWindow: 8000,
      },
    });
    const figures = await estimateAndMeasure(spec, 0, [1, 2, 3, 4, 5, 6]);
    console.log('covariate shift, per window:', JSON.stringify(figures));
    const gaps = figures.map((f) => Math.abs(f.estimated - f.realized));
    console.log('covariate shift: max |estimated − realized| =', Math.max(...gaps).toFixed(4));
    for (const f of figures) expect(Math.abs(f.estimated - f.realized), `window ${f.window}`).toBeLessThanOrEqual(0.02);
    // The shift moved the rows: the estimate saw accuracy change without a single label.
    const before = figures.filter((f) => f.window < 3).map((f) => f.estimated);
    const after = figures.filter((f) => f.window >= 3).map((f) => f.estimated);
    expect(Math.abs(Math.min(...after) - Math.max(...before))).toBeGreaterThan(0.02);
  });

  it('is blind to concept drift: after SEA changes its labelling rule the estimate stays while realized accuracy falls', async () => {
    const spec = seaSpec({
      dataSource: { kind: 'synthetic', generator: { name: 'sea' }, seed: 42, rowsPerWindow: 8000 },
    });
    const [pre, post1, post2] = await estimateAndMeasure(spec, SEA_CHANGE_WINDOW - 1, [
      SEA_CHANGE_WINDOW - 1,
      SEA_CHANGE_WINDOW,
      SEA_CHANGE_WINDOW + 1,
    ]);
    console.log('concept drift:', JSON.stringify([pre, post1, post2]));
    for (const post of [post1!, post2!]) {
      // P(x) is the same, so the estimate does not move …
      expect(Math.abs(post.estimated - pre!.estimated)).toBeLessThan(0.01);
      // … while the labels, had they arrived, show a drop far outside the estimate's band.
      expect(post.realized).toBeLessThan(pre!.realized - 0.03);
      expect(post.realized).toBeLessThan(post.lower);
    }
  });
});
