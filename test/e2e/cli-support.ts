import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { stringify } from 'yaml';
import '../support/provided-context.js';
import { METRICS_OFF } from '../support/metrics-ports.js';

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
  return spawn(process.execPath, [FLYWHEEL_BIN, ...args], {
    cwd: '/tmp',
    env: { ...process.env, LOG_LEVEL: 'warn', ...METRICS_OFF, ...env },
  });
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
      reject(
        new Error(
          `flywheel ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
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

export const APPROVER = 'alice@example.com';

/** A small SEA spec: quick to train, a person must approve, direct rollout, a long debounce so pending triggers stay visible. */
export function specYaml(id: string): string {
  return stringify({
    id,
    task: 'binaryClassification',
    features: ['f1', 'f2', 'f3'].map((name) => ({ name, type: 'numeric', min: 0, max: 10 })),
    label: { name: 'is_fraud' },
    dataSource: {
      kind: 'synthetic',
      generator: { name: 'sea', noise: 0.1 },
      seed: 7,
      rowsPerWindow: 2000,
      heldOutFraction: 0.25,
    },
    trainer: {
      kind: 'builtin',
      strategy: 'fullRetrain',
      hyperparameters: { epochs: 10, learningRate: 0.5, l2: 0.0001, batchSize: 256, seed: 1 },
    },
    validation: { minRows: 500 },
    gate: { primaryMetric: 'accuracy', absoluteFloors: { accuracy: 0.7 }, maxPredictionLatencyP95Ms: 200 },
    approval: { mode: 'manual', approvers: [APPROVER], timeoutMs: '1h' },
    rollout: { strategy: 'direct' },
    trigger: { debounceMs: '10m', cooldownMs: '1h', floors: { drift: 0.3, performance: 0.02 } },
  });
}
