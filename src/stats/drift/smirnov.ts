/**
 * One-sided Smirnov survival function P(D⁺ₙ ≥ x), the building block of the Kolmogorov
 * tail for large statistics. Computed as the Birnbaum–Tingey sum, every term positive
 * (no cancellation) and evaluated in log space; the integer/fraction split of n·x is
 * taken exactly so that 1 − x − j/n keeps its digits near the end of the sum.
 */

const LOG_MIN_DOUBLE = -745.1332191019412; // log(2^-1075): below this exp() is 0
const MAX_EXACT_N = 1_000_000;
const SPLITTER = 134217729; // 2^27 + 1, Veltkamp split

/** n·x as integer floor and fractional remainder, exact (no rounding of the product). */
function floorAndFraction(n: number, x: number): { floor: number; fraction: number } {
  const product = n * x;
  const split = (v: number): [number, number] => {
    const t = SPLITTER * v;
    const hi = t - (t - v);
    return [hi, v - hi];
  };
  const [nh, nl] = split(n);
  const [xh, xl] = split(x);
  const err = nh * xh - product + nh * xl + nl * xh + nl * xl;
  let floor = Math.floor(product);
  let fraction = product - floor + err;
  if (fraction < 0) {
    floor -= 1;
    fraction += 1;
  } else if (fraction >= 1) {
    floor += 1;
    fraction -= 1;
  }
  return { floor, fraction };
}

/** P(D⁺ₙ ≥ x) for the one-sample one-sided Smirnov statistic. */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const { floor: nxFloor, fraction: alpha } = floorAndFraction(n, x);
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) return 1 - x * Math.pow(1 + x, n - 1);
  if (-2 * n * x * x < LOG_MIN_DOUBLE) return 0;
  if (nxFloor >= n - 1) return Math.pow(1 - x, n);
  if (n > MAX_EXACT_N) {
    // Same closed-form approximation the reference implementation switches to here.
    const logp = -Math.pow(6 * n * x + 1, 2) / 18 / n;
    // Small p from exp() directly; otherwise via the cdf (−expm1) like the reference does.
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
  }
  // Terms j = 0 … while 1 − x − j/n > 0 (strictly).
  const nTerms = n - nxFloor - (alpha === 0 ? 1 : 0);
  const vmid = Math.floor(n / 2);
  // log C(n, j) grows to ~n·ln 2 while the steps stay ~1: kept as a compensated
  // (hi, lo) sum, or a million additions drift by ~1e-8 relative.
  let logBinHi = 0;
  let logBinLo = 0;
  let sum = 0;
  for (let j = 0; j < nTerms; j++) {
    const above = (nxFloor + j + alpha) / n; // x + j/n
    // log(1 − x − j/n) via log1p while x + j/n is small: the base is raised to ~n.
    const logBelow = above < 0.5 ? Math.log1p(-above) : Math.log((n - nxFloor - j - alpha) / n);
    const logTerm = logBinHi + (n - j) * logBelow + (j - 1) * Math.log(above) + logBinLo;
    const term = Math.exp(logTerm);
    sum += term;
    if (term !== 0) {
      if (4 * (nTerms - j) * term < Number.EPSILON * sum && j !== nTerms - 1) break;
    } else if (j > vmid) {
      break;
    }
    const step = Math.log((n - j) / (j + 1));
    const t = logBinHi + step;
    logBinLo += Math.abs(logBinHi) >= Math.abs(step) ? logBinHi - t + step : step - t + logBinHi;
    logBinHi = t;
  }
  return Math.min(1, Math.max(0, x * sum));
}
