export {
  describeArtifact,
  disposeScorer,
  openScorer,
  openScorerShas,
  type FeatureList,
  type OpenScorerOptions,
} from './open-scorer.js';
export type { Scorer } from '../../domain/model-format/scorer.js';
