import { syntheticDataSourceSchema, type SyntheticDataSourceConfig } from '../domain/model-spec/data-source-config.js';
import { createGenerator } from '../adapters/data-sources/synthetic/index.js';
import { modelSpecSchema, type ModelSpec, type ModelSpecInput } from '../domain/model-spec/model-spec.js';
import type { BacktestStream } from './backtest-stream.js';
import { syntheticStream } from './synthetic-stream.js';

/** The built-in streams, by the name `--stream` takes. */
export const StreamName = {
  seaF3: 'sea-f3',
  sea: 'sea',
  hyperplane: 'hyperplane',
  covariateShift: 'covariate-shift',
} as const;
export type StreamName = (typeof StreamName)[keyof typeof StreamName];
export const STREAM_NAMES = Object.values(StreamName);

export const STREAM_HELP: Record<StreamName, string> = {
  'sea-f3':
    'SEA, abrupt concept changes at windows 10, 20, 30 (θ = 8, 9, 7, 9.5) plus a persistent shift of the irrelevant f3 to [5, 10] from window 10',
  sea: 'SEA, abrupt concept changes at windows 10, 20, 30, no covariate shift',
  hyperplane: 'rotating hyperplane, 5 dimensions, 2 turning by 0.1 per window: gradual concept drift',
  'covariate-shift': 'P(x) moves at window 10, P(y|x) never changes: every retrain is wasted',
};

export interface StreamSize {
  readonly windows: number;
  readonly rowsPerWindow: number;
  readonly seed: number;
}

function generatorOf(name: StreamName): SyntheticDataSourceConfig['generator'] {
  switch (name) {
    case 'sea-f3':
      return { name: 'sea', noise: 0.1, concepts: SEA_CONCEPTS, f3Shift: { fromWindow: 10, min: 5, max: 10 } };
    case 'sea':
      return { name: 'sea', noise: 0.1, concepts: SEA_CONCEPTS };
    case 'hyperplane':
      return { name: 'rotatingHyperplane', noise: 0.05, dimensions: 5, driftingDimensions: 2, driftPerWindow: 0.1 };
    case 'covariate-shift':
      return { name: 'covariateShift', noise: 0.1, shiftAtWindow: 10 };
  }
}

const SEA_CONCEPTS = [
  { fromWindow: 0, threshold: 8 },
  { fromWindow: 10, threshold: 9 },
  { fromWindow: 20, threshold: 7 },
  { fromWindow: 30, threshold: 9.5 },
];

/**
 * The spec a built-in stream is replayed with when no `--spec` is given: the project's
 * defaults (trigger policy with its harm rule, gate, builtin trainer) plus a recency window
 * from the detected change, and a data source that keeps `historyWindows` windows.
 */
export function builtInSpec(name: StreamName, size: StreamSize, historyWindows: number): ModelSpec {
  const dataSource: ModelSpecInput['dataSource'] = {
    kind: 'synthetic',
    generator: generatorOf(name),
    seed: size.seed,
    rowsPerWindow: size.rowsPerWindow,
    windowsPerSnapshot: historyWindows,
    recency: { sinceChange: true },
  };
  const generator = createGenerator(syntheticDataSourceSchema.parse(dataSource));
  return modelSpecSchema.parse({
    id: `backtest-${name}`,
    task: 'binaryClassification',
    features: generator.features,
    label: { name: 'label' },
    dataSource,
    trainer: { kind: 'builtin', hyperparameters: { epochs: 30, learningRate: 0.5, batchSize: 256, seed: 1 } },
    gate: { primaryMetric: 'accuracy', minImprovement: 0, significance: { test: 'mcnemar', alpha: 0.05 } },
  } satisfies ModelSpecInput);
}

/** The stream a spec with a synthetic data source describes. */
export function streamOfSpec(spec: ModelSpec, size: Pick<StreamSize, 'windows'>, name = spec.id): BacktestStream {
  if (spec.dataSource.kind !== 'synthetic') throw new Error('streamOfSpec needs a synthetic data source');
  return syntheticStream({
    name,
    config: spec.dataSource,
    windowCount: size.windows,
    labelName: spec.label.name,
    irrelevantFeatures: spec.dataSource.generator.name === 'sea' ? ['f3'] : [],
  });
}
