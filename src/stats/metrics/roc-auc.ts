import { rocAucFromSplit, splitSorted } from './ranking.js';
import { checkSameLength, toFinite, toLabels } from './validate.js';
import { StatsInputError } from '../table.js';

/**
 * ROC AUC of arbitrary finite scores (not only probabilities), ties counted one half as
 * sklearn's roc_auc_score. Throws when only one class is present, since the AUC is then
 * undefined. Handy as the `metric` of a paired bootstrap.
 */
export function rocAuc(yTrue: ArrayLike<number>, score: ArrayLike<number>): number {
  const what = 'rocAuc';
  checkSameLength(what, { yTrue, score });
  const auc = rocAucFromSplit(splitSorted(toLabels(what, 'yTrue', yTrue), toFinite(what, 'score', score)));
  if (auc === null) throw new StatsInputError(`${what}: yTrue holds only one class; ROC AUC needs both 0 and 1`);
  return auc;
}
