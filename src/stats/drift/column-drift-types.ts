import type { DriftMethod } from './drift-method.js';

/** What one column's method computed, before thresholds and corrections are applied. */
export interface ColumnMeasurement {
  readonly method: DriftMethod;
  /** Test statistic (KS D, χ², z) or, for distance methods, the distance itself. */
  readonly statistic: number;
  readonly pValue?: number;
  readonly distance?: number;
  readonly referenceSize: number;
  readonly currentSize: number;
  /** True when computed from the reference's quantile sketch rather than its full sample. */
  readonly approximate: boolean;
  /**
   * On an approximate distance: a guaranteed bound on |statistic − exact value|. On an
   * approximate KS: the exact D lies in [statistic, statistic + errorBound], and the exact
   * p-value in `pValueRange`. Absent when the method has no bound (see README.md).
   */
  readonly errorBound?: number;
  readonly pValueRange?: readonly [number, number];
}
