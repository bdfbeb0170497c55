import { logLossTerm } from '../metrics/binary-classification.js';
import { toLabels, toProbabilities } from '../metrics/validate.js';

/**
 * Metrics the paired bootstrap evaluates from resample *counts* instead of copied
 * arrays: per-row metrics are precomputed once, and ROC AUC reuses one sort of the full
 * sample, so each resample costs O(n) instead of O(n log n) plus allocations. On 10^5
 * rows × 2000 resamples that is seconds instead of minutes for ROC AUC.
 *
 * All take yTrue as 0/1 labels and predictions as probabilities in [0, 1];
 * 'accuracy' predicts positive at probability ≥ 0.5 (hard 0/1 predictions work as is).
 */
export type BuiltinPairedMetric = 'accuracy' | 'rocAuc' | 'brier' | 'logLoss';

export const BUILTIN_PAIRED_METRICS: readonly BuiltinPairedMetric[] = ['accuracy', 'rocAuc', 'brier', 'logLoss'];

/** A metric of one model, evaluated on a resample given as a count per original row. */
export type CountedMetric = (counts: Uint32Array) => number | null;

export function prepareBuiltin(name: BuiltinPairedMetric, yTrue: Float64Array, prediction: Float64Array, model: string): CountedMetric {
  const what = `pairedBootstrap(${name})`;
  const y = toLabels(what, 'yTrue', yTrue);
  const p = toProbabilities(what, model, prediction);
  switch (name) {
    case 'accuracy':
      return meanOf(Float64Array.from(p, (pi, i) => Number((pi >= 0.5 ? 1 : 0) === y[i])));
    case 'brier':
      return meanOf(Float64Array.from(p, (pi, i) => (pi - y[i]!) ** 2));
    case 'logLoss':
      return meanOf(Float64Array.from(p, (pi, i) => logLossTerm(y[i]!, pi)));
    case 'rocAuc':
      return countedRocAuc(y, p);
  }
}

function meanOf(perRow: Float64Array): CountedMetric {
  return (counts) => {
    let sum = 0, total = 0;
    for (let i = 0; i < perRow.length; i++) {
      const w = counts[i]!;
      if (w !== 0) { sum += w * perRow[i]!; total += w; }
    }
    return sum / total;
  };
}

/**
 * Weighted Mann–Whitney AUC over tie groups of the pre-sorted scores. Weights are
 * integers, so U is an exact half-integer and the result equals the unweighted AUC of
 * the expanded resample bit for bit. Labels and counts are laid out in score order so the
 * walk over 10^5 rows is sequential in memory.
 */
function countedRocAuc(y: Uint8Array, p: Float64Array): CountedMetric {
  const n = p.length;
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a]! - p[b]!);
  const sortedLabels = Uint8Array.from(order, (i) => y[i]!);
  const groupEnds: number[] = [];
  for (let k = 1; k <= n; k++) {
    if (k === n || p[order[k]!]! !== p[order[k - 1]!]!) groupEnds.push(k);
  }
  const sortedCounts = new Uint32Array(n);
  return (counts) => {
    for (let k = 0; k < n; k++) sortedCounts[k] = counts[order[k]!]!;
    let u = 0, negativesBelow = 0, positives = 0;
    let start = 0;
    for (const end of groupEnds) {
      let pos = 0, neg = 0;
      for (let k = start; k < end; k++) {
        if (sortedLabels[k] === 1) pos += sortedCounts[k]!; else neg += sortedCounts[k]!;
      }
      u += pos * (negativesBelow + neg / 2);
      negativesBelow += neg;
      positives += pos;
      start = end;
    }
    if (positives === 0 || negativesBelow === 0) return null;
    return u / (positives * negativesBelow);
  };
}
