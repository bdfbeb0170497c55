import type { z } from 'zod';
import type { covariateShiftGeneratorSchema } from '../../../domain/model-spec/data-source-config.js';
import type { Rng } from '../../../stats/random.js';
import { categorical, numeric, type Table } from '../../../stats/table.js';
import { withLabelNoise, type StreamGenerator } from './generator.js';

type CovariateShiftConfig = z.output<typeof covariateShiftGeneratorSchema>;

const SEGMENTS = ['retail', 'business', 'premium'] as const;
const SEGMENT_EFFECT: Record<(typeof SEGMENTS)[number], number> = { retail: 0, business: 0.8, premium: -1 };

/** Input distribution before and after the shift; the labelling rule P(y | x) never changes. */
const REGIMES = [
  { x1Mean: 0, x2Mean: 0, x2Std: 1, segmentMix: [0.6, 0.3, 0.1] },
  { x1Mean: 1.5, x2Mean: -1, x2Std: 1.5, segmentMix: [0.2, 0.3, 0.5] },
] as const;

function pickSegment(mix: readonly number[], rng: Rng): (typeof SEGMENTS)[number] {
  let u = rng.nextFloat();
  for (let i = 0; i < SEGMENTS.length; i++) {
    u -= mix[i] ?? 0;
    if (u < 0) return SEGMENTS[i]!;
  }
  return SEGMENTS[SEGMENTS.length - 1]!;
}

/**
 * Covariate shift: x1 ~ N(μ1, 1), x2 ~ N(μ2, σ2²) and a categorical `segment`; label ~
 * Bernoulli(sigmoid(1.5·x1 − x2 + effect(segment))) with `noise` of labels flipped. At
 * `shiftAtWindow` (default 10) the means, spread and segment mix move — covariate shift at
 * t = shiftAtWindow — while the labelling rule stays the same: drift detectors fire, a
 * retrained model should barely differ.
 */
export function covariateShiftGenerator(config: CovariateShiftConfig): StreamGenerator {
  const regimeAt = (window: number) => REGIMES[window >= config.shiftAtWindow ? 1 : 0];
  return {
    task: 'binaryClassification',
    features: [
      { name: 'x1', type: 'numeric', required: true },
      { name: 'x2', type: 'numeric', required: true },
      { name: 'segment', type: 'categorical', required: true, allowedValues: [...SEGMENTS] },
    ],
    changePoints: [config.shiftAtWindow],
    conceptAt(window) {
      const g = regimeAt(window);
      return `x1 ~ N(${g.x1Mean}, 1), x2 ~ N(${g.x2Mean}, ${g.x2Std}²), segment mix ${g.segmentMix.join('/')}; label rule fixed (${window >= config.shiftAtWindow ? 'after' : 'before'} the shift at window ${config.shiftAtWindow})`;
    },
    generate(window, rows, rng, labelName): Table {
      const g = regimeAt(window);
      const x1 = new Float64Array(rows),
        x2 = new Float64Array(rows),
        y = new Float64Array(rows);
      const segment: string[] = [];
      for (let r = 0; r < rows; r++) {
        x1[r] = g.x1Mean + rng.nextNormal();
        x2[r] = g.x2Mean + g.x2Std * rng.nextNormal();
        const s = pickSegment(g.segmentMix, rng);
        segment.push(s);
        const p = 1 / (1 + Math.exp(-(1.5 * x1[r]! - x2[r]! + SEGMENT_EFFECT[s])));
        y[r] = withLabelNoise(rng.nextFloat() < p ? 1 : 0, config.noise, rng);
      }
      return {
        rowCount: rows,
        columns: { x1: numeric(x1), x2: numeric(x2), segment: categorical(segment), [labelName]: numeric(y) },
      };
    },
  };
}
