import type { PredictionLogEntry } from '../../domain/records/prediction-log-entry.js';

export interface PredictionLogBufferOptions {
  /** Writes one batch; called with at most `maxBatch` records (e.g. `state.logPredictionsSync`). */
  readonly write: (records: readonly PredictionLogEntry[]) => void;
  readonly maxBatch?: number;
  /** Longest a record waits before it is written. */
  readonly flushIntervalMs?: number;
  /** Called when a batch cannot be written; the batch is dropped so the gateway keeps serving. */
  readonly onError?: (err: unknown, dropped: number) => void;
}

/**
 * Groups predictions into one transaction per batch: a per-request commit caps SQLite at a
 * few thousand inserts/s, a batched one at hundreds of thousands. Rows wait up to
 * `flushIntervalMs` in memory, so a crash loses them: fit for bulk loaders and replays, not
 * for answered requests. The gateway does not use it; it commits each answer's row before
 * answering (src/serving/group-commit-log.ts).
 */
export class PredictionLogBuffer {
  private pending: PredictionLogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly maxBatch: number;
  private readonly intervalMs: number;

  constructor(private readonly opts: PredictionLogBufferOptions) {
    this.maxBatch = opts.maxBatch ?? 1000;
    this.intervalMs = opts.flushIntervalMs ?? 50;
  }

  push(record: PredictionLogEntry): void {
    this.pending.push(record);
    if (this.pending.length >= this.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.intervalMs).unref();
  }

  /** Writes everything pending now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      try {
        this.opts.write(batch);
      } catch (err) {
        this.opts.onError?.(err, batch.length);
      }
    }
  }

  get size(): number {
    return this.pending.length;
  }
}
