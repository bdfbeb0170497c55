/**
 * Orchestration benchmark (prints figures; not a test). On an ephemeral dev server, or
 * TEMPORAL_ADDRESS if set:
 *  (a) one full training cycle with instant adapters vs a bare workflow running the same
 *      number of no-op activities: what the cycle's orchestration costs;
 *  (b) N flywheels (default 100, 500, 1000) each sent one drift alert: time until every
 *      cycle finished, alert-to-cycle-start p50/p99, peak RSS of this process (the worker).
 * Usage: npx tsx scripts/bench/orchestration.ts [N ...]
 */
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, bundleWorkflowCode } from '@temporalio/worker';
import { pino } from 'pino';
import { parseModelSpec, type ModelSpec } from '../../src/domain/model-spec/model-spec.js';
import { installRuntimeLogger } from '../../src/logging/logger.js';
import { WorkerRole } from '../../src/workers/activity-roles.js';
import { startWorkers } from '../../src/workers/start-workers.js';
import { workerRunConfig } from '../../src/workers/worker-config.js';
import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import { driftAlertSignal } from '../../src/contracts/model-flywheel.js';
import {
  cycleWorkflowId,
  TRAINING_CYCLE_WORKFLOW,
  type CycleInput,
  type TrainingCycleWorkflow,
} from '../../src/contracts/training-cycle.js';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import { provisionAll } from '../lib/provision-all.js';
import { startEphemeralDevServer } from '../lib/test-servers.js';
import { instantActivities } from './orchestration-instant-activities.js';

const WORKFLOWS = fileURLToPath(new URL('./orchestration-workflows.ts', import.meta.url));
const ORCH = 'bench-orchestration';
const TRAIN = 'bench-training';

function spec(id: string): ModelSpec {
  return parseModelSpec({
    id,
    task: 'binaryClassification',
    features: [
      { name: 'f1', type: 'numeric' },
      { name: 'f2', type: 'numeric' },
    ],
    label: { name: 'y' },
    dataSource: { kind: 'synthetic', generator: { name: 'sea' }, seed: 1, rowsPerWindow: 1000 },
    trainer: { kind: 'builtin' },
    approval: { mode: 'auto' },
    rollout: { strategy: 'direct' },
    trigger: { debounceMs: 0, cooldownMs: 0, budget: { maxCycles: 100, windowMs: '1d' } },
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function singleCycle(client: Client): Promise<void> {
  const s = spec('bench-single');
  const trigger = {
    kinds: ['drift' as const],
    primary: 'drift' as const,
    count: 1,
    firstAt: Date.now(),
    lastAt: Date.now(),
    maxScore: { drift: 0.9 },
    force: false,
    samples: [],
  };
  const runCycle = async (i: number) => {
    // Cycle numbers start at 1 (the cycle input is parsed at the start).
    const input: CycleInput = { modelId: s.id, cycle: i + 1, spec: s, trigger, trainingTaskQueue: TRAIN };
    const t = performance.now();
    await client.workflow.execute<TrainingCycleWorkflow>(TRAINING_CYCLE_WORKFLOW, {
      workflowId: `bench-cycle-${Date.now()}-${i}`,
      taskQueue: ORCH,
      args: [input],
    });
    return performance.now() - t;
  };
  // Count what one cycle schedules (its rollout child included).
  const probeId = `bench-probe-${Date.now()}`;
  await client.workflow.execute<TrainingCycleWorkflow>(TRAINING_CYCLE_WORKFLOW, {
    workflowId: probeId,
    taskQueue: ORCH,
    args: [{ modelId: s.id, cycle: 1, spec: s, trigger, trainingTaskQueue: TRAIN }],
  });
  let activities = 0;
  for (const id of [probeId, `${probeId}:rollout`]) {
    const h = await client.workflow.getHandle(id).fetchHistory();
    activities += (h.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).length;
  }
  const runBare = async (i: number) => {
    const t = performance.now();
    await client.workflow.execute('bareActivities', {
      workflowId: `bench-bare-${Date.now()}-${i}`,
      taskQueue: ORCH,
      args: [activities],
    });
    return performance.now() - t;
  };
  const cycle: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < 3; i++) {
    await runCycle(100 + i); // warm-up
    await runBare(100 + i);
  }
  for (let i = 0; i < 15; i++) {
    cycle.push(await runCycle(i));
    bare.push(await runBare(i));
  }
  const c = pct(cycle, 50);
  const b = pct(bare, 50);
  console.log(
    `\n(a) one cycle (${activities} activities incl. rollout child, instant adapters), 15 runs after 3 warm-ups`,
  );
  console.log(`    trainingCycle     p50 ${ms(c)}  p90 ${ms(pct(cycle, 90))}`);
  console.log(`    bare ${String(activities).padStart(2)} no-ops    p50 ${ms(b)}  p90 ${ms(pct(bare, 90))}`);
  console.log(`    ratio (p50)       ${(c / b).toFixed(2)}×`);
}

async function manyFlywheels(client: Client, n: number): Promise<void> {
  const tag = `b${n}-${Date.now().toString(36)}`;
  const ids = Array.from({ length: n }, (_, i) => `${tag}-${i}`);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const inBatches = async <T>(items: T[], size: number, fn: (x: T) => Promise<unknown>) => {
    for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
  };
  const flywheels = new FlywheelClient(client, { taskQueue: ORCH, flywheelOptions: { trainingTaskQueue: TRAIN } });
  const tStart = performance.now();
  await inBatches(ids, 50, (id) => flywheels.start(spec(id)));
  const startedAll = performance.now();
  const sentAt = new Map<string, number>();
  const tAlerts = performance.now();
  await inBatches(ids, 50, async (id) => {
    sentAt.set(id, Date.now());
    await flywheels.signal(driftAlertSignal, id, { score: 0.9, source: 'bench' });
  });
  const delays: number[] = [];
  await inBatches(ids, 100, async (id) => {
    for (;;) {
      try {
        const r: CycleReport = await client.workflow.getHandle(cycleWorkflowId(id, 1)).result();
        delays.push(r.startedAt - sentAt.get(id)!);
        return;
      } catch (err) {
        if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  });
  const done = performance.now();
  clearInterval(sampler);
  console.log(
    `    N=${String(n).padStart(4)}  start ${ms(startedAll - tStart).padStart(8)}  alerts→all cycles done ${ms(done - tAlerts).padStart(8)}` +
      `  alert→cycle start p50 ${ms(pct(delays, 50))} p99 ${ms(pct(delays, 99))}  peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  );
  await inBatches(ids, 50, (id) =>
    client.workflow
      .getHandle(`flywheel:${id}`)
      .terminate('bench done')
      .catch(() => undefined),
  );
}

async function main(): Promise<void> {
  installRuntimeLogger(pino({ level: process.env.LOG_LEVEL ?? 'warn' }));
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((x) => x > 0);
  let address = process.env.TEMPORAL_ADDRESS;
  let namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  let stop: (() => Promise<void>) | undefined;
  if (!address) {
    const { temporalCli } = await provisionAll({ testServer: false });
    // BENCH_DYNAMIC_CONFIG='{"key": value}' passes dynamic config to the ephemeral server.
    const dynamicConfig = process.env.BENCH_DYNAMIC_CONFIG
      ? (JSON.parse(process.env.BENCH_DYNAMIC_CONFIG) as Record<string, unknown>)
      : {};
    const server = await startEphemeralDevServer(temporalCli.path, { dynamicConfig });
    ({ address, namespace } = server);
    stop = () => server.stop();
    console.log(`dev server ${address} (ephemeral, in-memory)`);
  }
  const native = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const bundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
  // The SDK's default activity slots (100) as before, a larger cache, 4 trainings at a time.
  const config = workerRunConfig(namespace, {
    orchestrationTaskQueue: ORCH,
    trainingTaskQueue: TRAIN,
    maxOrchestrationActivities: 100,
    maxCachedWorkflows: 2000,
    maxTrainingActivities: 4,
  });
  const workers = await startWorkers({
    config,
    deps: { connection: native, activities: instantActivities(), workflowBundle: bundle },
    roles: [WorkerRole.orchestration, WorkerRole.training],
  });
  console.log(
    `node ${process.version}, ${(await import('node:os')).cpus().length} cores; worker defaults except maxCachedWorkflows=2000`,
  );
  try {
    await workers.runUntil(async () => {
      await singleCycle(client);
      console.log('\n(b) N flywheels, one drift alert each (debounce 0, instant adapters, direct rollout)');
      for (const n of sizes.length ? sizes : [100, 500, 1000]) await manyFlywheels(client, n);
    });
  } finally {
    await connection.close();
    await native.close();
    await stop?.();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
