import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { TrainAttempt, TrainCheckpoint } from '../port.js';
import { stopLeftoverProgram } from './leftover-programs.js';

/**
 * A day: far beyond a training retry's wait (heartbeat timeout plus at most a few minutes of
 * backoff), so only work dirs that no retry will come back for are swept. A retry that does
 * come later (no training worker for a day) finds its checkpoint gone and starts over, which
 * is slower but correct.
 */
export const DEFAULT_STALE_WORK_DIR_MS = 24 * 3_600_000;
/** A running attempt refreshes its dir's mtime this often, so the sweep never takes it for abandoned. */
const TOUCH_EVERY_MS = 60_000;

/** One attempt's work dir and what to do with it when the attempt ends. */
export interface AttemptWorkDir {
  readonly dir: string;
  /** Marks the attempt as alive (throttled): call on every progress line. */
  touch(): void;
  /** The attempt succeeded: nothing of this activity is needed any more (keep this attempt's dir only if asked). */
  succeeded(keepOwn: boolean): Promise<void>;
  /**
   * The attempt failed. When a retry may follow, this dir stays (it holds the checkpoint the
   * retry is handed); otherwise everything of the activity goes.
   */
  failed(retryMayFollow: boolean): Promise<void>;
}

/**
 * Work dirs of command-trainer attempts, one group per activity (`<root>/<group>/attempt-<n>`),
 * so that a later attempt can find and remove what earlier ones left behind: a killed worker
 * cannot clean up after itself. At any time a group holds at most the running attempt and the
 * one whose checkpoint it was handed; groups nobody touched for `staleAfterMs` (cycles that
 * were cancelled or ran out of retries) are removed by the next attempt on this work root.
 */
export class AttemptWorkDirs {
  constructor(
    private readonly root: string,
    private readonly staleAfterMs: number = DEFAULT_STALE_WORK_DIR_MS,
  ) {}

  /**
   * Creates this attempt's dir. Without `attempt` (a direct call, not an activity) the dir is
   * private to this call: nobody can retry into it.
   */
  async open(
    attempt: TrainAttempt | undefined,
    fallbackName: string,
    checkpoint: TrainCheckpoint | undefined,
  ): Promise<AttemptWorkDir> {
    const group = path.join(this.root, attempt ? groupName(attempt.key) : `${fallbackName}-${randomUUID()}`);
    const dir = path.join(group, `attempt-${attempt?.number ?? 1}`);
    await this.sweepStale(group);
    await this.removeEarlierAttempts(group, dir, checkpoint);
    await rm(dir, { recursive: true, force: true }); // a leftover of the very same attempt number is never wanted
    await mkdir(dir, { recursive: true });
    let lastTouch = Date.now();
    return {
      dir,
      touch() {
        const now = Date.now();
        if (now - lastTouch < TOUCH_EVERY_MS) return;
        lastTouch = now;
        utimes(dir, now / 1000, now / 1000).catch(() => undefined); // best effort: only the sweep reads it
      },
      async succeeded(keepOwn) {
        if (!keepOwn) return removeQuietly(group);
        for (const entry of await listDirs(group))
          if (path.join(group, entry) !== dir) await removeQuietly(path.join(group, entry));
      },
      async failed(retryMayFollow) {
        if (!retryMayFollow || !attempt) await removeQuietly(group);
      },
    };
  }

  /**
   * Earlier attempts of this activity were killed or failed. A program one of them left
   * running (its worker was killed) is stopped first. Their dirs are kept only if the
   * checkpoint this attempt resumes from points into one of them (the checkpoint's state is
   * the program's own JSON, e.g. `{ "file": "<abs path>" }`), and only that one.
   */
  private async removeEarlierAttempts(
    group: string,
    own: string,
    checkpoint: TrainCheckpoint | undefined,
  ): Promise<void> {
    const referenced = checkpoint === undefined ? '' : (JSON.stringify(checkpoint.state) ?? '');
    for (const entry of await listDirs(group)) {
      const dir = path.join(group, entry);
      if (dir === own) continue;
      await stopLeftoverProgram(dir);
      if (referenced.includes(dir + path.sep) || referenced.includes(`"${dir}"`)) continue;
      await removeQuietly(dir);
    }
  }

  /** Removes groups (and loose dirs of older layouts) whose newest mtime is older than `staleAfterMs`. */
  private async sweepStale(current: string): Promise<void> {
    const cutoff = Date.now() - this.staleAfterMs;
    for (const entry of await listDirs(this.root)) {
      const group = path.join(this.root, entry);
      if (group === current) continue;
      const newest = await newestMtime(group);
      if (newest !== undefined && newest < cutoff) await removeQuietly(group);
    }
  }
}

/** A readable, collision-free directory name for an activity key (workflow id, run id, activity id). */
function groupName(key: string): string {
  const readable = key.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `${readable}-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}

async function listDirs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return []; // not created yet, or removed by another attempt meanwhile
  }
}

/** The newest mtime of a dir and its direct subdirs (attempt dirs); undefined if it is gone. */
async function newestMtime(dir: string): Promise<number | undefined> {
  const own = await stat(dir).catch(() => undefined);
  if (!own) return undefined;
  let newest = own.mtimeMs;
  for (const entry of await listDirs(dir)) {
    const s = await stat(path.join(dir, entry)).catch(() => undefined);
    if (s && s.mtimeMs > newest) newest = s.mtimeMs;
  }
  return newest;
}

async function removeQuietly(dir: string): Promise<void> {
  // Cleanup must never fail a training that otherwise worked; a dir left behind is swept later.
  await rm(dir, { recursive: true, force: true, maxRetries: 2 }).catch(() => undefined);
}
