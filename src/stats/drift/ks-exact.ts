/**
 * Exact null distribution of the two-sided two-sample KS statistic by counting lattice
 * paths (Hodges 1958), in the numerically stable "1 − p inside" form of Viehmann (2021).
 * Returns null when the count leaves floating-point range, so the caller falls back to
 * the asymptotic distribution — the same contract as scipy's ks_2samp(method='auto').
 */

/** Equal sizes: share of paths that leave the band |x − y| < h (reflection formula). */
function outsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/** Unequal sizes: 1 − share of paths staying strictly inside |x/m − y/n| < h/lcm. */
function outsideBand(mIn: number, nIn: number, g: number, h: number): number {
  const m = Math.max(mIn, nIn);
  const n = Math.min(mIn, nIn);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const a = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  a.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (a[jj + minj - lastminj]! * i + val * j) / (i + j);
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) a.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return a[maxj - minj - 1]!;
}

/**
 * Exact two-sided p-value for a statistic of h/lcm(n1, n2). `null` when the computation
 * over- or underflows (caller switches to the asymptotic p-value).
 */
export function exactTwoSidedPValue(n1: number, n2: number, g: number, h: number): number | null {
  if (h === 0) return 1;
  const p = n1 === n2 ? outsideSquare(n1, h) : outsideBand(n1, n2, g, h);
  return p >= 0 && p <= 1 ? p : null;
}
