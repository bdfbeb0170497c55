/**
 * The worker process of `bench:orchestration`: the project's workers (startWorkers, the
 * default worker config unless BENCH_WORKER_SETTINGS overrides some of it) over instant
 * activities, in a process of its own so its peak RSS is the worker's alone. Started by
 * orchestration.ts; prints "ready" once polling and stops on SIGTERM.
 * Env: BENCH_ADDRESS, BENCH_NAMESPACE, BENCH_BUNDLE (a bundled workflow file), BENCH_WORKER_SETTINGS (JSON).
 */
import { NativeConnection } from '@temporalio/worker';
import { pino } from 'pino';
import { installRuntimeLogger } from '../../src/logging/logger.js';
import { WorkerRole } from '../../src/workers/activity-roles.js';
import { startWorkers } from '../../src/workers/start-workers.js';
import { workerRunConfig } from '../../src/workers/worker-config.js';
import { instantActivities } from './orchestration-instant-activities.js';

async function main(): Promise<void> {
  installRuntimeLogger(pino({ level: process.env.LOG_LEVEL ?? 'warn' }));
  const need = (name: string) => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is required`);
    return v;
  };
  const settings = JSON.parse(process.env.BENCH_WORKER_SETTINGS ?? '{}') as Record<string, unknown>;
  const config = workerRunConfig(need('BENCH_NAMESPACE'), settings);
  const connection = await NativeConnection.connect({ address: need('BENCH_ADDRESS') });
  const workers = await startWorkers({
    config,
    deps: { connection, activities: instantActivities(), workflowBundle: { codePath: need('BENCH_BUNDLE') } },
    roles: [WorkerRole.orchestration, WorkerRole.training],
  });
  process.stdout.write('ready\n');
  await workers.done;
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
