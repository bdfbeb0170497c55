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
 *
 * Every row of a transaction waits on the same promise: an append costs a push, not a
 * promise and its resolvers per request.
 */
export class GroupCommitLog<T> {
  /** Transactions not yet written, oldest first; rows are appended to the last while it is `open`. */
  private readonly queued: Array<Batch<T>> = [];
  private open: Batch<T> | undefined;
  private scheduled = false;
  private inFlight: Promise<void> | undefined;
  private readonly commitNow = () => this.commit();

  constructor(
    private readonly write: (batch: T[]) => void | Promise<void>,
    private readonly options: { maxBatch?: number } = {},
  ) {}

  /** Queues a row for the next transaction; resolves when it is durable, rejects if the write failed. */
  append(record: T): Promise<void> {
    let batch = this.open;
    if (!batch) {
      batch = newBatch<T>();
      this.open = batch;
      this.queued.push(batch);
    }
    batch.records.push(record);
    if (batch.records.length >= this.maxBatch) {
      this.open = undefined;
      this.commit();
    } else if (!this.scheduled && !this.inFlight) {
      this.scheduled = true;
      setImmediate(this.commitNow);
    }
    return batch.done;
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
    if (this.inFlight) return;
    const batch = this.queued.shift();
    if (!batch) return;
    if (batch === this.open) this.open = undefined;
    // The write starts in a microtask, so even a sink that throws synchronously settles after `inFlight` is set.
    this.inFlight = Promise.resolve()
      .then(() => this.write(batch.records))
      .then(batch.resolve, batch.reject)
      .finally(() => {
        this.inFlight = undefined;
        this.commit();
      });
  }
}

interface Batch<T> {
  readonly records: T[];
  readonly done: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

function newBatch<T>(): Batch<T> {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A transaction whose every row was a shadow copy may fail with no request waiting on it.
  done.catch(() => undefined);
  return { records: [], done, resolve, reject };
}
