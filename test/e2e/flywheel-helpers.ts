import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import '../support/provided-context.js';
import { METRICS_OFF } from '../support/metrics-ports.js';
import { killAndWait } from '../support/process-groups.js';

const TRAINING_WORKER = fileURLToPath(new URL('../../src/workers/training-worker.ts', import.meta.url));
const ORCHESTRATION_WORKER = fileURLToPath(new URL('../../src/workers/orchestration-worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Starts the real training worker entrypoint as a child process against the run's dev server. */
export function spawnTrainingWorker(dataDir: string, taskQueue: string): ChildProcess {
  return spawnWorker(TRAINING_WORKER, dataDir, { CT_TRAINING_TASK_QUEUE: taskQueue });
}

/** Starts the real orchestration worker entrypoint (workflows + light activities). */
export function spawnOrchestrationWorker(dataDir: string, taskQueue: string, trainingTaskQueue: string): ChildProcess {
  return spawnWorker(ORCHESTRATION_WORKER, dataDir, {
    CT_ORCHESTRATION_TASK_QUEUE: taskQueue,
    CT_TRAINING_TASK_QUEUE: trainingTaskQueue,
  });
}

function spawnWorker(entry: string, dataDir: string, extraEnv: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: inject('temporalDevServerAddress'),
      TEMPORAL_NAMESPACE: inject('temporalDevServerNamespace'),
      CT_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ...METRICS_OFF,
      ...extraEnv,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

/** Kills a child and waits until it is gone; resolves to its exit code (null when killed by the signal). */
export function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  return killAndWait(child, () => child.kill(signal));
}
