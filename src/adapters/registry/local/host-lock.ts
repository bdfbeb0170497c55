import Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { RegistryLockTimeoutError } from '../registry-errors.js';

/**
 * Mutual exclusion between writers on one host (processes and instances). A SQLite
 * `BEGIN IMMEDIATE` takes an OS file lock that the kernel releases when the holder dies,
 * so a writer killed with SIGKILL never leaves a stale lock behind: no pid files, no
 * staleness guesses. Waiting is asynchronous polling (busy_timeout 0) so a worker's event
 * loop never blocks; within one instance a promise chain serializes callers.
 */
export class HostLock {
  private readonly db: Database.Database;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.db = new Database(path);
    this.db.pragma('busy_timeout = 0');
  }

  /** Runs `fn` while holding the lock. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.tail.then(() => this.locked(fn));
    this.tail = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.db.close();
  }

  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.db.exec('ROLLBACK');
    }
  }

  private async acquire(): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        this.db.exec('BEGIN IMMEDIATE');
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
        if (Date.now() > deadline) {
          throw new RegistryLockTimeoutError(
            `registry lock ${this.path} still held by another writer after ${this.timeoutMs} ms`,
          );
        }
        await sleep(Math.min(1 + attempt, 20) * (0.5 + Math.random()));
      }
    }
  }
}
