import type { z } from 'zod';
import type { seaGeneratorSchema } from '../../../domain/model-spec/data-source-config.js';
import { numeric, type Table } from '../../../stats/table.js';
import type { StreamGenerator } from './generator.js';
import { withLabelNoise } from './generator.js';

type SeaConfig = z.output<typeof seaGeneratorSchema>;

/**
 * SEA concepts (Street & Kim, 2001): three features uniform on [0, 10], only f1 and f2
 * matter; label = 1 when f1 + f2 <= θ. θ switches abruptly at each concept's `fromWindow`
 * (defaults: θ = 8, 9, 7, 9.5 from windows 0, 10, 20, 30 — concept change at t = 10, 20, 30).
 * `noise` flips that share of labels. `f3Shift` moves the irrelevant f3 from a window on: a
 * benign covariate shift that drift checks see and the label never feels.
 */
export function seaGenerator(config: SeaConfig): StreamGenerator {
  const concepts = [...config.concepts].sort((a, b) => a.fromWindow - b.fromWindow);
  const conceptIndex = (window: number): number => {
    let index = 0;
    concepts.forEach((c, i) => {
      if (c.fromWindow <= window) index = i;
    });
    return index;
  };
  return {
    task: 'binaryClassification',
    features: ['f1', 'f2', 'f3'].map((name) => ({ name, type: 'numeric' as const, required: true, min: 0, max: 10 })),
    changePoints: concepts.map((c) => c.fromWindow).filter((w) => w > 0),
    ...(config.f3Shift ? { covariateShifts: [config.f3Shift.fromWindow] } : {}),
    conceptAt(window) {
      const i = conceptIndex(window);
      const c = concepts[i]!;
      return `label = f1 + f2 <= ${c.threshold} (concept ${i + 1} of ${concepts.length}, since window ${c.fromWindow})`;
    },
    generate(window, rows, rng, labelName): Table {
      const theta = concepts[conceptIndex(window)]!.threshold;
      const shifted = config.f3Shift !== undefined && window >= config.f3Shift.fromWindow;
      const [f3Low, f3High] = shifted ? [config.f3Shift!.min, config.f3Shift!.max] : [0, 10];
      const f1 = new Float64Array(rows),
        f2 = new Float64Array(rows),
        f3 = new Float64Array(rows),
        y = new Float64Array(rows);
      for (let r = 0; r < rows; r++) {
        f1[r] = rng.nextFloat() * 10;
        f2[r] = rng.nextFloat() * 10;
        f3[r] = f3Low + rng.nextFloat() * (f3High - f3Low);
        y[r] = withLabelNoise(f1[r]! + f2[r]! <= theta ? 1 : 0, config.noise, rng);
      }
      return {
        rowCount: rows,
        columns: { f1: numeric(f1), f2: numeric(f2), f3: numeric(f3), [labelName]: numeric(y) },
      };
    },
  };
}
