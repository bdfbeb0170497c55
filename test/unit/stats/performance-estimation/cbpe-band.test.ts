import { describe, expect, it } from 'vitest';
import { estimateBinaryPerformance } from '../../../../src/stats/performance-estimation/cbpe.js';
import { createRng } from '../../../../src/stats/random.js';

/** n rows with calibrated probabilities spread over (0, 1); labels drawn from them. */
function sample(n: number, seed: number) {
  const rng = createRng(seed);
  const p = Float64Array.from({ length: n }, () => rng.nextFloat());
  const y = Uint8Array.from(p, (q) => (rng.nextFloat() < q ? 1 : 0));
  return { p, y, predicted: Uint8Array.from(p, (q) => (q >= 0.5 ? 1 : 0)) };
}

describe('CBPE band', () => {
  it('holds the realized accuracy of calibrated rows about as often as its coverage says', () => {
    let inside = 0;
    const trials = 40;
    for (let t = 0; t < trials; t++) {
      const { p, y, predicted } = sample(500, 100 + t);
      const e = estimateBinaryPerformance({ calibrated: p, score: p, predicted }, { seed: t });
      const realized = y.reduce((s, v, i) => s + (v === predicted[i] ? 1 : 0), 0) / y.length;
      if (realized >= e.accuracy!.lower && realized <= e.accuracy!.upper) inside++;
    }
    // 95 % nominal: 40 trials put ≥ 34 inside with probability > 0.99.
    expect(inside).toBeGreaterThanOrEqual(34);
  });

  it('narrows as the window grows and is the same for the same seed', () => {
    const small = sample(200, 1);
    const large = sample(5000, 1);
    const width = (s: typeof small) => {
      const e = estimateBinaryPerformance({ calibrated: s.p, score: s.p, predicted: s.predicted }, { seed: 9 });
      return e.rocAuc!.upper - e.rocAuc!.lower;
    };
    expect(width(large)).toBeLessThan(width(small) / 3);
    expect(width(small)).toBe(width(small));
  });
});
