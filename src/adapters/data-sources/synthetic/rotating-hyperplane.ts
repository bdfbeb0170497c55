import type { z } from 'zod';
import type { hyperplaneGeneratorSchema } from '../../../domain/model-spec/data-source-config.js';
import { createRng } from '../../../stats/random.js';
import { numeric, type Column, type Table } from '../../../stats/table.js';
import { withLabelNoise, type StreamGenerator } from './generator.js';

type HyperplaneConfig = z.output<typeof hyperplaneGeneratorSchema>;

/**
 * Rotating hyperplane (Hulten et al., 2001): x uniform on [0, 1]^d, label = 1 when
 * Σ wᵢ·xᵢ >= ½ Σ wᵢ. The first `driftingDimensions` weights move by `driftPerWindow` per
 * window (each in a direction fixed by the seed), so the boundary turns gradually from
 * window 0 on: gradual concept drift with no single change point.
 */
export function rotatingHyperplaneGenerator(config: HyperplaneConfig, seed: number): StreamGenerator {
  const setup = createRng(seed);
  const base = Array.from({ length: config.dimensions }, () => setup.nextFloat());
  const direction = base.map((_, i) => (i < config.driftingDimensions ? (setup.nextFloat() < 0.5 ? -1 : 1) : 0));
  const weightsAt = (window: number): number[] =>
    base.map((w, i) => w + direction[i]! * config.driftPerWindow * window);
  const names = Array.from({ length: config.dimensions }, (_, i) => `x${i + 1}`);
  return {
    task: 'binaryClassification',
    features: names.map((name) => ({ name, type: 'numeric' as const, required: true, min: 0, max: 1 })),
    changePoints: [],
    conceptAt(window) {
      const w = weightsAt(window);
      return `label = Σ wᵢxᵢ >= ${(w.reduce((a, b) => a + b, 0) / 2).toFixed(3)} with w = [${w.map((v) => v.toFixed(3)).join(', ')}] (rotating ${config.driftPerWindow}/window since window 0)`;
    },
    generate(window, rows, rng, labelName): Table {
      const w = weightsAt(window);
      const threshold = w.reduce((a, b) => a + b, 0) / 2;
      const xs = names.map(() => new Float64Array(rows));
      const y = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        let s = 0;
        xs.forEach((x, i) => {
          x[r] = rng.nextFloat();
          s += w[i]! * x[r]!;
        });
        y[r] = withLabelNoise(s >= threshold ? 1 : 0, config.noise, rng);
      }
      const columns: Record<string, Column> = { [labelName]: numeric(y) };
      names.forEach((name, i) => (columns[name] = numeric(xs[i]!)));
      return { rowCount: rows, columns };
    },
  };
}
