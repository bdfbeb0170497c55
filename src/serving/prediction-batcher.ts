/**
 * Buffers records and writes them in batches, off the request path: one SQLite
 * transaction per batch costs about what a single insert does, so the gateway logs
 * every prediction without paying a synchronous write per request.
 */
export class PredictionBatcher<T> {
  private buffer: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** Records lost because the sink threw (also logged by the caller's onError). */
  dropped = 0;

  constructor(
    private readonly write: (batch: T[]) => void | Promise<void>,
    private readonly options: { maxBatch?: number; flushEveryMs?: number; onError?: (err: unknown, lost: number) => void } = {},
  ) {}

  push(record: T): void {
    this.buffer.push(record);
    if (this.buffer.length >= (this.options.maxBatch ?? 500)) {
      void this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushEveryMs ?? 50);
      this.timer.unref();
    }
  }

  /** Writes everything buffered so far; resolves once it is durable in the sink. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const batch = this.buffer;
    this.buffer = [];
    // Chain writes so batches land in order even if the sink is asynchronous.
    this.writing = this.writing.then(async () => {
      if (batch.length === 0) return;
      try {
        await this.write(batch);
      } catch (err) {
        this.dropped += batch.length;
        this.options.onError?.(err, batch.length);
      }
    });
    return this.writing;
  }
}
