import type { FeatureRow } from '../domain/model-format/predict.js';
import { answerOf, type Answer, type Scorer } from '../domain/model-format/scorer.js';

/**
 * The gateway's answer for one row: class (or value) and, for classifiers, P(class 1).
 * Synchronous for a format that scores synchronously (linear), so that path costs what it did.
 */
export function score(scorer: Scorer, row: FeatureRow): Answer | Promise<Answer> {
  const s = scorer.scoreRow(row);
  return typeof s === 'number' ? answerOf(scorer, s) : s.then((v) => answerOf(scorer, v));
}
