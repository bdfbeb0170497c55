import {
  binaryMetricsOfValid,
  type BinaryClassificationMetrics,
  type BinaryMetricsOptions,
} from './binary-classification.js';
import { groupRows } from './groups.js';
import { checkSameLength, toLabels, toProbabilities } from './validate.js';

export interface SliceMetricsOptions extends BinaryMetricsOptions {
  /** Slices with fewer rows are reported with `metrics: null` (too small to judge). Default 1. */
  readonly minRows?: number;
}

export interface SliceResult {
  readonly slice: string;
  readonly count: number;
  readonly positives: number;
  /** Null when the slice has fewer than `minRows` rows. */
  readonly metrics: BinaryClassificationMetrics | null;
}

/**
 * Binary-classification metrics per value of a categorical column (null values form the
 * "(missing)" slice), largest slice first. Within a slice, undefined metrics (ROC AUC
 * with one class, …) are null as in {@link binaryClassificationMetrics}.
 */
export function sliceMetrics(
  slices: ArrayLike<string | null>,
  yTrue: ArrayLike<number>,
  probability: ArrayLike<number>,
  options: SliceMetricsOptions = {},
): SliceResult[] {
  const what = 'sliceMetrics';
  checkSameLength(what, { slices, yTrue, probability });
  const labels = toLabels(what, 'yTrue', yTrue);
  const p = toProbabilities(what, 'probability', probability);
  const minRows = options.minRows ?? 1;
  const results: SliceResult[] = [];
  for (const [slice, rows] of groupRows(what, slices)) {
    const sliceLabels = new Uint8Array(rows.length);
    const sliceP = new Float64Array(rows.length);
    let positives = 0;
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      sliceLabels[k] = labels[i]!;
      sliceP[k] = p[i]!;
      positives += labels[i]!;
    }
    const metrics = rows.length >= minRows ? binaryMetricsOfValid(sliceLabels, sliceP, options) : null;
    results.push({ slice, count: rows.length, positives, metrics });
  }
  return results.sort((a, b) => b.count - a.count || (a.slice < b.slice ? -1 : 1));
}
