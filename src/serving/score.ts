import type { LinearModel } from '../domain/model-format/linear-model.js';
import { predict, predictProba, type FeatureRow } from '../domain/model-format/predict.js';

/** The gateway's answer for one row: class (or value) and, for classifiers, P(class 1). */
export function score(model: LinearModel, row: FeatureRow): { prediction: number; probability: number | null } {
  if (model.task === 'binaryClassification') {
    const probability = predictProba(model, row);
    return { prediction: probability >= (model.labelThreshold ?? 0.5) ? 1 : 0, probability };
  }
  return { prediction: predict(model, row), probability: null };
}
