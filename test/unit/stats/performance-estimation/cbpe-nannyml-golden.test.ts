/**
 * Our CBPE against NannyML's own on its synthetic car-loan dataset
 * (test/fixtures/golden-cbpe-nannyml.json, written by scripts/golden/nannyml_cbpe.py):
 * isotonic calibration fitted on the reference period, then the five estimates per chunk of
 * 5,000 rows, reference and analysis chunks alike, within 0.01 of NannyML's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyIsotonic, fitIsotonic } from '../../../../src/stats/calibration/isotonic.js';
import { CbpeMetric, estimatePoint } from '../../../../src/stats/performance-estimation/cbpe.js';

type Counted = [probability: number, cls: number, count: number];
interface Golden {
  readonly needsCalibration: boolean;
  readonly reference: Counted[];
  readonly chunks: {
    readonly key: string;
    readonly period: string;
    readonly rows: Counted[];
    readonly nannyml: Record<CbpeMetric, { value: number; samplingError: number; realized: number }>;
  }[];
}

const golden = JSON.parse(
  readFileSync(new URL('../../../fixtures/golden-cbpe-nannyml.json', import.meta.url), 'utf8'),
) as Golden;

/** Expands (value, class, count) triples into row arrays. */
function expand(counted: readonly Counted[]): { probability: Float64Array; cls: Uint8Array } {
  const n = counted.reduce((s, [, , c]) => s + c, 0);
  const probability = new Float64Array(n);
  const cls = new Uint8Array(n);
  let i = 0;
  for (const [p, c, count] of counted)
    for (let k = 0; k < count; k++, i++) {
      probability[i] = p;
      cls[i] = c;
    }
  return { probability, cls };
}

const reference = expand(golden.reference);
const curve = fitIsotonic(reference.probability, reference.cls);
const calibrate = (p: number) => (golden.needsCalibration ? applyIsotonic(curve, p) : p);

const gaps = Object.fromEntries(Object.values(CbpeMetric).map((m) => [m, 0])) as Record<CbpeMetric, number>;

describe('CBPE against NannyML 0.13.1 on the synthetic car-loan dataset', () => {
  it.each(golden.chunks.map((c) => [`${c.period} ${c.key}`, c] as const))('%s', (_, chunk) => {
    const rows = expand(chunk.rows);
    const ours = estimatePoint({
      calibrated: rows.probability.map(calibrate),
      score: rows.probability,
      predicted: rows.cls,
    });
    for (const metric of Object.values(CbpeMetric)) {
      const gap = Math.abs(ours[metric]! - chunk.nannyml[metric].value);
      gaps[metric] = Math.max(gaps[metric], gap);
      expect(gap, `${metric}: ours ${ours[metric]} vs NannyML ${chunk.nannyml[metric].value}`).toBeLessThanOrEqual(
        0.01,
      );
    }
  });

  it('covers both periods and prints the largest gap per metric', () => {
    expect(new Set(golden.chunks.map((c) => c.period))).toEqual(new Set(['reference', 'analysis']));
    console.log('max |ours − NannyML| per metric over chunks:', JSON.stringify(gaps));
  });
});
