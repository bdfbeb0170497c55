import { describe, expect, it } from 'vitest';
import { regressionMetrics } from '../../../../src/stats/metrics/index.js';

/**
 * Finite inputs whose errors or squares overflow float64. Expected values are what
 * scikit-learn 1.7.2 returns for the same arrays (mean_absolute_error,
 * root_mean_squared_error, r2_score), checked in a venv from scripts/golden/requirements-metrics.txt (2.3333e200, inf, nan / inf, inf, nan / 5e199, inf, nan):
 * an overflowing sum is inf, and R² = 1 − inf/inf is nan.
 */
describe('regressionMetrics overflows like scikit-learn: inf, not NaN', () => {
  it('squares overflow: MAE finite, RMSE inf, R² nan', () => {
    const m = regressionMetrics([1e200, -1e200, 3e200], [-1e200, 1e200, 0]);
    expect(m.mae).toBeCloseTo(7e200 / 3, -190);
    expect(m.rmse).toBe(Infinity);
    expect(m.r2).toBeNaN();
  });

  it('the errors themselves overflow: MAE inf, RMSE inf', () => {
    const m = regressionMetrics([1.5e308, -1.5e308, 1], [-1.5e308, 1.5e308, 1]);
    expect(m.mae).toBe(Infinity);
    expect(m.rmse).toBe(Infinity);
    expect(m.r2).toBeNaN();
  });

  it('one overflowing error among finite ones still gives inf', () => {
    const m = regressionMetrics([1, 2, 1e200, 4], [1, 2, -1e200, 4]);
    expect(m.mae).toBeCloseTo(5e199, -189);
    expect(m.rmse).toBe(Infinity);
    expect(m.r2).toBeNaN();
  });
});
