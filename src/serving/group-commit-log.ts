/**
 * Writes prediction-log rows before their answer leaves: `append` resolves once the row is
 * committed, and the route answers only then. Rows appended in the same event-loop turn
 * share one transaction (group commit), so under load the log is still written in batches,
 * but an answered prediction is never only in memory: a SIGKILL after a 200 cannot lose
 * its row, and its label can always join it.
 */
export class GroupCommitLog<T> {
  private batch: Array<{ record: T; resolve: () => void; reject: (err: unknown) => void }> = [];
  private scheduled = false;
  private committed: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (batch: T[]) => void | Promise<void>,
    private readonly options: { maxBatch?: number } = {},
  ) {}

  /** Queues a row for this turn's transaction; resolves when it is durable, rejects if the write failed. */
  append(record: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.batch.push({ record, resolve, reject });
      if (this.batch.length >= (this.options.maxBatch ?? 500)) this.commit();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.commit());
      }
    });
  }

  /** Commits what is queued; resolves when every row appended so far is written (or has failed). */
  drain(): Promise<void> {
    this.commit();
    return this.committed;
  }

  private commit(): void {
    this.scheduled = false;
    const batch = this.batch;
    if (batch.length === 0) return;
    this.batch = [];
    // Chained, so transactions land in order even when the sink is asynchronous.
    this.committed = this.committed.then(async () => {
      try {
        await this.write(batch.map((b) => b.record));
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    });
  }
}
