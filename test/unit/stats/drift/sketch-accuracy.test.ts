import { describe, expect, it } from 'vitest';
import { buildReferenceProfile, serializeReferenceProfile } from '../../../../src/stats/drift/reference-profile.js';
import { driftReport } from '../../../../src/stats/drift/drift-report.js';
import { ksTwoSample } from '../../../../src/stats/drift/ks.js';
import { wasserstein1, wasserstein1Normed } from '../../../../src/stats/drift/wasserstein.js';
import { binOnSketch, buildSketch, sketchWasserstein } from '../../../../src/stats/drift/quantile-sketch.js';
import { numeric } from '../../../../src/stats/table.js';
import { normalSample } from './synthetic.js';

const N = 200_000;
const ref = normalSample(1, N);
const lognormal = (xs: Float64Array): Float64Array => xs.map((x) => Math.exp(x));
const rounded = (xs: Float64Array): Float64Array => xs.map((x) => Math.round(x * 4) / 4);
const zeroInflated = (xs: Float64Array): Float64Array => xs.map((x) => (x < 0 ? 0 : x));

// The reference columns are transformed the same way as the current windows.
const shapes: Array<[string, (x: Float64Array) => Float64Array]> = [
  ['normal', (x) => x],
  ['lognormal', lognormal],
  ['discrete (quarter steps)', rounded],
  ['zero-inflated', zeroInflated],
];
const windows: Array<[string, Float64Array]> = [
  ['same distribution', normalSample(2, 100_000)],
  ['mean +0.05σ', normalSample(3, 100_000, 0.05)],
  ['mean +0.5σ', normalSample(4, 100_000, 0.5)],
  ['scale ×1.3', normalSample(5, 100_000, 0, 1.3)],
  ['outside the reference range', normalSample(6, 100_000, 6)],
];

describe('quantile sketch (reference > exactLimit): approximation error against the exact value', () => {
  for (const [shape, f] of shapes) {
    const profile = buildReferenceProfile({ rowCount: N, columns: { x: numeric(f(ref)) } });
    it(`${shape}: profile stays small (${serializeReferenceProfile(profile).length} bytes for ${N} rows)`, () => {
      expect(serializeReferenceProfile(profile).length).toBeLessThan(40_000);
    });
    for (const [label, w] of windows) {
      it(`${shape}, ${label}: normed Wasserstein within 5e-4 absolute; KS D within 1/512`, () => {
        const cur = f(w);
        const exact = wasserstein1Normed(f(ref), cur);
        const report = driftReport(profile, { rowCount: cur.length, columns: { x: numeric(cur) } });
        const col = report.columns[0]!;
        expect(col.method).toBe('wasserstein-normed');
        expect(col.approximate).toBe(true);
        const err = Math.abs(col.statistic - exact);
        expect(err).toBeLessThanOrEqual(5e-4);
        // Same verdict as the exact value unless it sits right on the threshold.
        if (Math.abs(exact - 0.1) > 5e-3) expect(col.drifted).toBe(exact >= 0.1);
        const ks = driftReport(
          profile,
          { rowCount: cur.length, columns: { x: numeric(cur) } },
          { methods: { x: 'ks' } },
        ).columns[0]!;
        const exactKs = ksTwoSample(f(ref), cur).statistic;
        expect(Math.abs(ks.statistic - exactKs)).toBeLessThanOrEqual(1 / 512 + 1e-12);
        console.info(
          `[sketch] ${shape.padEnd(24)} ${label.padEnd(28)} WN exact=${exact.toFixed(6)} sketch=${col.statistic.toFixed(6)} |err|=${err.toExponential(2)}  KS exact=${exactKs.toFixed(5)} sketch=${ks.statistic.toFixed(5)}`,
        );
      });
    }
  }
});

describe('quantile sketch with an extreme outlier (crowded lookup cells)', () => {
  it('bins every value on the right edge and keeps W₁ close to exact', () => {
    const reference = normalSample(41, 50_000);
    reference[0] = 1e9;
    const current = normalSample(42, 50_000, 0.2);
    const sketch = buildSketch(Float64Array.from(reference).sort(), 512);
    const binned = binOnSketch(current, sketch.edges, 'current');
    // Every current value is counted in the bin whose edges enclose it.
    let counted = binned.below + binned.above;
    binned.counts.forEach((c) => (counted += c));
    expect(counted).toBe(current.length);
    const exact = wasserstein1(reference, current);
    expect(Math.abs(sketchWasserstein(sketch, binned) - exact) / exact).toBeLessThan(1e-3);
  });
});
