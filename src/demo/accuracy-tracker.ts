/** Correct/total counts per time bucket for one series (the CT-served answers or the static model's). */
export class AccuracyTracker {
  private readonly buckets = new Map<number, { correct: number; total: number }>();

  constructor(private readonly bucketMs: number) {}

  add(tMs: number, correct: boolean): void {
    const key = Math.floor(tMs / this.bucketMs);
    const b = this.buckets.get(key) ?? { correct: 0, total: 0 };
    b.total++;
    if (correct) b.correct++;
    this.buckets.set(key, b);
  }

  /** One point per bucket, plotted at the bucket's end. */
  points(): Array<{ tMs: number; accuracy: number; count: number }> {
    return [...this.buckets.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([, b]) => b.total > 0)
      .map(([key, b]) => ({ tMs: (key + 1) * this.bucketMs, accuracy: b.correct / b.total, count: b.total }));
  }

  /** Accuracy over buckets lying wholly inside [fromMs, toMs). */
  between(fromMs: number, toMs: number): { accuracy: number; count: number } | null {
    let correct = 0,
      total = 0;
    for (const [key, b] of this.buckets) {
      const start = key * this.bucketMs;
      if (start >= fromMs && start + this.bucketMs <= toMs) {
        correct += b.correct;
        total += b.total;
      }
    }
    return total ? { accuracy: correct / total, count: total } : null;
  }

  /** Accuracy of the last `ms` before `atMs` (for progress lines). */
  recent(atMs: number, ms: number): { accuracy: number; count: number } | null {
    const from = Math.floor((atMs - ms) / this.bucketMs) * this.bucketMs;
    return this.between(from, Math.floor(atMs / this.bucketMs) * this.bucketMs);
  }
}
