import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import '../support/provided-context.js';

const TRAINING_WORKER = fileURLToPath(new URL('../../src/workers/training-worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Starts the real training worker entrypoint as a child process against the run's dev server. */
export function spawnTrainingWorker(dataDir: string, taskQueue: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', TRAINING_WORKER], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: inject('temporalDevServerAddress'),
      TEMPORAL_NAMESPACE: inject('temporalDevServerNamespace'),
      CT_DATA_DIR: dataDir,
      CT_TRAINING_TASK_QUEUE: taskQueue,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

/** Kills a child and waits until it is gone. */
export async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await gone;
}
