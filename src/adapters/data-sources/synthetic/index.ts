import type { SyntheticDataSourceConfig } from '../../../domain/model-spec/data-source-config.js';
import { covariateShiftGenerator } from './covariate-shift.js';
import type { StreamGenerator } from './generator.js';
import { rotatingHyperplaneGenerator } from './rotating-hyperplane.js';
import { seaGenerator } from './sea.js';

export { windowSeed, type StreamGenerator } from './generator.js';

/** The generator a synthetic data source config names. */
export function createGenerator(config: SyntheticDataSourceConfig): StreamGenerator {
  const g = config.generator;
  switch (g.name) {
    case 'sea':
      return seaGenerator(g);
    case 'rotatingHyperplane':
      return rotatingHyperplaneGenerator(g, config.seed);
    case 'covariateShift':
      return covariateShiftGenerator(g);
  }
}
