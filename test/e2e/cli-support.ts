import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import '../support/provided-context.js';

export const FLYWHEEL_BIN = fileURLToPath(new URL('../../bin/flywheel.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Arguments that point the CLI at the run's shared dev server. */
export function devServerArgs(): string[] {
  return ['--address', inject('temporalDevServerAddress'), '--namespace', inject('temporalDevServerNamespace')];
}

/** Starts the real `flywheel` binary as a child process (from /tmp: it must not depend on the cwd). */
export function spawnFlywheel(args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [FLYWHEEL_BIN, ...args], { cwd: '/tmp', env: { ...process.env, LOG_LEVEL: 'warn', ...env } });
}

/** Runs `flywheel <args>` to completion and collects its exit code and output. */
export function flywheel(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnFlywheel(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`flywheel ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The same, against the dev server, asserting nothing: tests check code and output. */
export function flywheelDev(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return flywheel([...devServerArgs(), ...args], env);
}
