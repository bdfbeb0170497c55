import { StatsInputError } from '../table.js';
import { checkCount } from './count-validation.js';
import { normalSf } from './special-functions.js';

export interface ZTestResult {
  readonly statistic: number;
  readonly pValue: number;
}

/**
 * Two-sided pooled two-proportion z-test: H₀ "the share of successes is the same in
 * both samples". Used for binary columns (Evidently's "z" test). The p-value is computed
 * from the normal tail directly (not 1 − cdf) so small p-values keep their digits. When
 * both samples are all successes or all failures the pooled variance is 0 and there is
 * no evidence of a difference: z = 0, p = 1.
 */
export function twoProportionZTest(successes1: number, n1: number, successes2: number, n2: number): ZTestResult {
  for (const [v, label] of [
    [successes1, 'successes1'],
    [n1, 'n1'],
    [successes2, 'successes2'],
    [n2, 'n2'],
  ] as const) {
    checkCount(v, `twoProportionZTest ${label}`);
  }
  if (n1 === 0 || n2 === 0) throw new StatsInputError('twoProportionZTest: sample sizes must be positive');
  if (successes1 > n1 || successes2 > n2) {
    throw new StatsInputError('twoProportionZTest: successes exceed sample size (a proportion outside [0, 1])');
  }
  const p1 = successes1 / n1;
  const p2 = successes2 / n2;
  const pooled = (successes1 + successes2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (variance === 0) return { statistic: 0, pValue: 1 };
  const statistic = (p1 - p2) / Math.sqrt(variance);
  return { statistic, pValue: Math.min(1, 2 * normalSf(Math.abs(statistic))) };
}

/**
 * Evidently's two-sided z-test p-value, 2·(1 − Φ(|z|)) with Φ as scipy's ndtr: it rounds
 * to 0 beyond |z| ≈ 8.3 where `twoProportionZTest` keeps the tail's digits. Used only in
 * Evidently-compatible reports, where the score must be Evidently's.
 */
export function evidentlyZPValue(z: number): number {
  const a = Math.abs(z);
  // ndtr: 0.5 + 0.5·erf for |x| < 1/√2 (x = z/√2), else 1 − 0.5·erfc; both are 1 − sf up to an ulp.
  const cdf = 1 - normalSf(a);
  return 2 * (1 - cdf);
}
