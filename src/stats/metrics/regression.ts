import { CompensatedSum } from './sum.js';
import { checkSameLength, toFinite } from './validate.js';

export interface RegressionMetrics {
  readonly count: number;
  readonly mae: number;
  readonly rmse: number;
  /**
   * Coefficient of determination. When yTrue is constant it follows sklearn's
   * force_finite convention: 1 for a perfect prediction, otherwise 0. Like sklearn it is NaN
   * only when both sums of squares overflow to inf (inf/inf), and MAE/RMSE overflow to inf.
   */
  readonly r2: number;
}

/**
 * MAE, RMSE and R² as sklearn's mean_absolute_error, root_mean_squared_error and
 * r2_score. Throws StatsInputError for empty, mismatched or non-finite input.
 */
export function regressionMetrics(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): RegressionMetrics {
  const what = 'regressionMetrics';
  const n = checkSameLength(what, { yTrue, yPred });
  const y = toFinite(what, 'yTrue', yTrue);
  const f = toFinite(what, 'yPred', yPred);
  const absolute = new CompensatedSum();
  const squared = new CompensatedSum();
  const total = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const e = y[i]! - f[i]!;
    absolute.add(Math.abs(e));
    squared.add(e * e);
    total.add(y[i]!);
  }
  const mean = total.value / n;
  const spread = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const d = y[i]! - mean;
    spread.add(d * d);
  }
  const ssRes = squared.value;
  const ssTot = spread.value;
  const r2 = ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
  return { count: n, mae: absolute.value / n, rmse: Math.sqrt(ssRes / n), r2 };
}
