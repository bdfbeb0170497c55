/**
 * Writes prediction-log rows before their answer leaves: `append` resolves once the row is
 * committed, and the route answers only then. Rows appended in the same event-loop turn
 * share one transaction (group commit), so under load the log is still written in batches,
 * but an answered prediction is never only in memory: a SIGKILL after a 200 cannot lose
 * its row, and its label can always join it.
 *
 * One transaction is in flight at a time. With an asynchronous sink (PostgreSQL, a network
 * round trip per commit) the rows that arrive meanwhile wait and go together in the next
 * transaction, so the batch grows with the load instead of the commits queueing up.
 */
export class GroupCommitLog<T> {
  private batch: Array<{ record: T; resolve: () => void; reject: (err: unknown) => void }> = [];
  private scheduled = false;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly write: (batch: T[]) => void | Promise<void>,
    private readonly options: { maxBatch?: number } = {},
  ) {}

  /** Queues a row for the next transaction; resolves when it is durable, rejects if the write failed. */
  append(record: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.batch.push({ record, resolve, reject });
      if (this.batch.length >= this.maxBatch) this.commit();
      else if (!this.scheduled && !this.inFlight) {
        this.scheduled = true;
        setImmediate(() => this.commit());
      }
    });
  }

  /** Commits what is queued; resolves when every row appended so far is written (or has failed). */
  async drain(): Promise<void> {
    this.commit();
    while (this.inFlight) await this.inFlight;
  }

  private get maxBatch(): number {
    return this.options.maxBatch ?? 500;
  }

  private commit(): void {
    this.scheduled = false;
    // The transaction in flight starts the next one when it ends; one at a time keeps them in order.
    if (this.inFlight || this.batch.length === 0) return;
    const batch = this.batch.splice(0, this.maxBatch);
    // The write starts in a microtask, so even a sink that throws synchronously settles after `inFlight` is set.
    this.inFlight = Promise.resolve()
      .then(() => this.write(batch.map((b) => b.record)))
      .then(
        () => batch.forEach((b) => b.resolve()),
        (err: unknown) => batch.forEach((b) => b.reject(err)),
      )
      .finally(() => {
        this.inFlight = undefined;
        this.commit();
      });
  }
}
