import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { TrainerCommandError, TrainingCancelledError } from '../errors.js';

export interface RunProcessOptions {
  readonly argv: readonly string[];
  readonly cwd?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Called with every stdout line. */
  readonly onStdoutLine: (line: string) => void;
  /** Called once the program runs, with its pid (also its process group id). */
  readonly onSpawn?: (pid: number) => void;
  /** Lines of stderr kept for the error message. */
  readonly stderrTailLines?: number;
}

const KILL_GRACE_MS = 5_000;

/**
 * Runs a command in its own process group (detached) so that cancellation and timeouts
 * can kill everything it started (`process.kill(-pid)`), not just the direct child.
 * Resolves on exit code 0; rejects with TrainerCommandError (non-zero exit, signal,
 * timeout, cannot start) or TrainingCancelledError (aborted).
 */
export function runProcess(options: RunProcessOptions): Promise<{ stderrTail: string[] }> {
  const [program, ...args] = options.argv;
  const tailSize = options.stderrTailLines ?? 20;
  const stderrTail: string[] = [];
  const describe = options.argv.join(' ');
  return new Promise((resolve, reject) => {
    if (!program) return reject(new TrainerCommandError('Trainer command is empty', null, null, []));
    if (options.signal?.aborted)
      return reject(new TrainingCancelledError(`Training cancelled before ${describe} started`));
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    let settled = false;
    let stopReason: 'timeout' | 'cancelled' | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // the group is already gone
      }
    };
    const stop = (reason: 'timeout' | 'cancelled') => {
      if (stopReason) return;
      stopReason = reason;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const timeout = setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = () => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    createInterface({ input: child.stdout }).on('line', options.onStdoutLine);
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderrTail.push(line);
      if (stderrTail.length > tailSize) stderrTail.shift();
    });

    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      options.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve({ stderrTail });
    };
    child.on('error', (err) =>
      finish(
        new TrainerCommandError(
          `Could not start trainer command "${describe}": ${err.message}`,
          null,
          null,
          stderrTail,
        ),
      ),
    );
    child.on('close', (code, signal) => {
      // Children of the command may outlive it; make sure the group is gone.
      if (stopReason) killGroup('SIGKILL');
      if (killTimer) clearTimeout(killTimer);
      if (stopReason === 'cancelled')
        return finish(new TrainingCancelledError(`Training cancelled: killed process group of "${describe}"`));
      if (stopReason === 'timeout') {
        return finish(
          new TrainerCommandError(
            `Trainer command "${describe}" timed out after ${options.timeoutMs} ms and was killed`,
            code,
            signal,
            stderrTail,
          ),
        );
      }
      if (code === 0) return finish();
      const how = code !== null ? `exited with code ${code}` : `was killed by ${signal}`;
      const tail =
        stderrTail.length > 0 ? `; last stderr lines:\n${stderrTail.join('\n')}` : '; it wrote nothing to stderr';
      finish(new TrainerCommandError(`Trainer command "${describe}" ${how}${tail}`, code, signal, stderrTail));
    });
  });
}
