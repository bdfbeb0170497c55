import type { Task } from '../features.js';
import type { ModelDescription, ModelFeature, ModelFormatId } from './model-description.js';
import type { ScoringRows } from './onnx-feeds.js';
import type { FeatureRow } from './predict.js';

/**
 * The one way anything in ct-flywheel uses a model: "score these rows with this artifact".
 * The gate, the latency check, the serviceability check, the gateway and its shadow all
 * hold a Scorer and never parse a format. Opened by `openScorer` (src/adapters/model-formats).
 */
export interface Scorer {
  readonly sha256: string;
  readonly format: ModelFormatId;
  readonly task: Task;
  /** Binary classification: predict 1 when P(class 1) >= this. */
  readonly labelThreshold: number;
  /** The features the model reads, in the order it reads them. */
  readonly features: readonly ModelFeature[];
  /** True once `disposeScorer` released it: holders open the artifact again instead of using it. */
  readonly released: boolean;
  /** A row to smoke-test with when no data is at hand: the feature means (linear), or 0 and "" per feature (ONNX). */
  exampleRow(): FeatureRow;
  /** What registration records about the model (format, opset, inputs, outputs). */
  describe(): ModelDescription;
  /** P(class 1) per row for a classifier, the predicted value for a regressor. */
  score(rows: ScoringRows): Promise<Float64Array>;
  /** One row's score; synchronous where the format allows it (the linear model), so the gateway's linear path stays as fast as it was. */
  scoreRow(row: FeatureRow): number | Promise<number>;
}

/** The gateway's answer for one row: class (or value) and, for classifiers, P(class 1). */
export interface Answer {
  readonly prediction: number;
  readonly probability: number | null;
}

/** Turns a score into the answer a caller gets (class by the model's threshold, or the value). */
export function answerOf(scorer: Pick<Scorer, 'task' | 'labelThreshold'>, score: number): Answer {
  if (scorer.task === 'binaryClassification')
    return { prediction: score >= scorer.labelThreshold ? 1 : 0, probability: score };
  return { prediction: score, probability: null };
}
