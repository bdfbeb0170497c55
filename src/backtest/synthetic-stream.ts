import type { SyntheticDataSourceConfig } from '../domain/model-spec/data-source-config.js';
import { createGenerator, windowSeed } from '../adapters/data-sources/synthetic/index.js';
import { createRng } from '../stats/random.js';
import type { Table } from '../stats/table.js';
import { HOUR_MS, type BacktestStream } from './backtest-stream.js';

export interface SyntheticStreamOptions {
  readonly name: string;
  readonly config: SyntheticDataSourceConfig;
  readonly windowCount: number;
  readonly labelName: string;
  readonly windowMs?: number;
  readonly irrelevantFeatures?: readonly string[];
}

/**
 * A stream over the data source's own seeded generators (SEA, rotating hyperplane,
 * covariate shift): window w holds exactly the rows the synthetic data source would
 * snapshot for window w, so the backtest trains on what the flywheel would.
 */
export function syntheticStream(options: SyntheticStreamOptions): BacktestStream {
  const { config, labelName } = options;
  const generator = createGenerator(config);
  const cache = new Map<number, Table>();
  const isConcept = config.generator.name !== 'covariateShift';
  return {
    name: options.name,
    description: `${generator.conceptAt(0)}; changes at windows ${generator.changePoints.join(', ') || 'none (gradual)'}`,
    features: generator.features,
    labelName,
    windowCount: options.windowCount,
    windowMs: options.windowMs ?? HOUR_MS,
    conceptChanges: isConcept ? generator.changePoints.filter((w) => w < options.windowCount) : [],
    covariateShifts: [...(isConcept ? [] : generator.changePoints), ...(generator.covariateShifts ?? [])],
    irrelevantFeatures: options.irrelevantFeatures ?? [],
    window(index) {
      let rows = cache.get(index);
      if (!rows) {
        rows = generator.generate(index, config.rowsPerWindow, createRng(windowSeed(config.seed, index)), labelName);
        cache.set(index, rows);
      }
      return rows;
    },
  };
}
