/**
 * Ranking metrics from the two sorted score samples (positives, negatives). Sorting two
 * Float64Arrays natively and merging them is much faster in JS than sorting an index
 * array with a comparator, and it gives the tie counts that ROC AUC and average
 * precision need.
 */

/** Scores split by label and sorted ascending. */
export interface SplitScores {
  readonly positives: Float64Array;
  readonly negatives: Float64Array;
}

export function splitSorted(labels: Uint8Array, scores: Float64Array): SplitScores {
  let m = 0;
  for (let i = 0; i < labels.length; i++) m += labels[i]!;
  const positives = new Float64Array(m);
  const negatives = new Float64Array(labels.length - m);
  let p = 0;
  let q = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) positives[p++] = scores[i]!;
    else negatives[q++] = scores[i]!;
  }
  positives.sort();
  negatives.sort();
  return { positives, negatives };
}

/**
 * Area under the ROC curve as the Mann–Whitney probability P(score+ > score−) with ties
 * counted one half — the same number as sklearn's trapezoidal roc_auc_score, which puts
 * tied scores on one diagonal segment. Null when either class is absent (sklearn raises).
 */
export function rocAucFromSplit({ positives, negatives }: SplitScores): number | null {
  const m = positives.length;
  const n = negatives.length;
  if (m === 0 || n === 0) return null;
  // Count, for each positive, negatives strictly below it (doubled) plus ties: integers
  // until the final division, so the result does not depend on summation order.
  let twiceU = 0;
  let below = 0;
  let i = 0;
  while (i < m) {
    const v = positives[i]!;
    while (below < n && negatives[below]! < v) below++;
    let tieEnd = below;
    while (tieEnd < n && negatives[tieEnd]! === v) tieEnd++;
    let run = i;
    while (run < m && positives[run]! === v) run++;
    twiceU += (run - i) * (2 * below + (tieEnd - below));
    i = run;
  }
  return twiceU / (2 * m * n);
}

/**
 * Average precision as sklearn defines it: the step integral Σ (R_k − R_{k−1}) · P_k
 * over distinct score thresholds, highest first, with no interpolation. Null when there
 * are no positives (sklearn then warns and returns a meaningless 0).
 */
export function averagePrecisionFromSplit({ positives, negatives }: SplitScores): number | null {
  const m = positives.length;
  if (m === 0) return null;
  let i = m - 1;
  let j = negatives.length - 1;
  let tp = 0;
  let fp = 0;
  let previousRecall = 0;
  let ap = 0;
  while (i >= 0) {
    // Next threshold: the largest remaining score in either sample.
    const neg = j >= 0 ? negatives[j]! : -Infinity;
    const threshold = Math.max(positives[i]!, neg);
    while (i >= 0 && positives[i]! === threshold) {
      tp++;
      i--;
    }
    while (j >= 0 && negatives[j]! === threshold) {
      fp++;
      j--;
    }
    const recall = tp / m;
    ap += (recall - previousRecall) * (tp / (tp + fp));
    previousRecall = recall;
  }
  // Thresholds below the last positive add recall 0: they do not change the integral.
  return ap;
}
