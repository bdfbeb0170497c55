/**
 * Neumaier-compensated summation. Metrics on 10^5 rows then agree with numpy's pairwise
 * sums to ~1e-16 relative instead of drifting by n·eps with a naive loop.
 */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(x: number): void {
    const t = this.sum + x;
    // Past an overflow (or with an infinite term) the compensation would be inf − inf = NaN:
    // keep the plain IEEE sum, inf or NaN exactly as numpy's sum gives it.
    if (!Number.isFinite(t)) {
      this.sum = t;
      this.compensation = 0;
      return;
    }
    if (Math.abs(this.sum) >= Math.abs(x)) this.compensation += this.sum - t + x;
    else this.compensation += x - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}
