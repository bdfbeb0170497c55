import { spawn } from 'node:child_process';
import { ProvisionError } from './provision-error.js';

export interface ProgressRun {
  /** What is running, for progress lines, e.g. "go install temporal CLI". */
  label: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Seconds between "still running" lines. */
  everySeconds?: number;
  /** What to tell the user if the command fails. */
  onFailure: string;
}

/**
 * Runs a long provisioning command, printing elapsed time and the command's latest
 * output line every few seconds so a multi-minute build never looks hung.
 * Throws a {@link ProvisionError} with the output tail if it exits non-zero.
 */
export async function runWithProgress(run: ProgressRun): Promise<void> {
  const started = Date.now();
  const child = spawn(run.command, run.args, { env: run.env, cwd: run.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  let lines = 0;
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      if (!line.trim()) continue;
      lines += 1;
      tail.push(line.trim());
      if (tail.length > 20) tail.shift();
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const timer = setInterval(
    () => {
      const secs = Math.round((Date.now() - started) / 1000);
      const last = tail[tail.length - 1] ?? 'starting';
      process.stdout.write(
        `[provision]   ${run.label}: ${secs}s elapsed, ${lines} output lines, last: ${last.slice(0, 100)}\n`,
      );
    },
    (run.everySeconds ?? 15) * 1000,
  );
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  }).finally(() => clearInterval(timer));
  if (code !== 0) {
    throw new ProvisionError(`${run.label} failed (exit ${code}).\n${tail.join('\n')}\n\n${run.onFailure}`);
  }
}

/** Runs a short command and returns its combined output, or undefined if it cannot run. */
export async function captureOutput(command: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code === 0 ? out : undefined));
  });
}
