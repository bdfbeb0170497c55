/**
 * Orchestration benchmark (prints figures; asserts nothing). Each part on a fresh ephemeral
 * dev server (the project's dispatch settings, src/local-server/dev-server-args.ts) with the
 * workers in a fresh process of their own (orchestration-worker.ts: startWorkers, the default
 * worker config, instant activities), so the worker's peak RSS is its own:
 *  (a) a cycle exactly as a flywheel runs it (a flywheel started by FlywheelClient with the
 *      default options, a drift alert, the cycle as its child (its direct rollout inline), its
 *      search attributes and its report to the flywheel) from alert to cycle result, vs a
 *      bare workflow running as many no-op activities as the cycle ran (local ones counted);
 *  (b) N flywheels (default 1,000) alerted at once: alert → cycle start p50/p99, every
 *      cycle's outcome checked, cycle throughput, the worker's peak RSS and CPU, the
 *      server's CPU and RSS;
 *  (c) its baseline: N bare parents signalled at once, each starting a bare child of as many
 *      activities, on a fresh server and worker process; the bench prints (b)/(c);
 *  (d) the floor: the same with children of no activities, so nothing competes with the
 *      starts: what this server and worker alone take to start N children from N signals.
 * Usage: npm run bench:orchestration -- [--n 1000] [--runs 10] [--worker '{"maxCachedWorkflows":500}']
 *        [--server-defaults] [--only cycle|fleet] [--no-baseline]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { bundleWithPreload } from '../../src/workers/workflow-preload.js';
import type { temporal } from '@temporalio/proto';
import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import { driftAlertSignal, flywheelWorkflowId } from '../../src/contracts/model-flywheel.js';
import { cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { CYCLE_PRIORITY_KEY } from '../../src/domain/task-priority.js';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import { parseModelSpec, type ModelSpec } from '../../src/domain/model-spec/model-spec.js';
import { flywheelQueueOptions } from '../../src/config/task-queue-config.js';
import { workerRunConfig } from '../../src/workers/worker-config.js';
import { provisionAll } from '../lib/provision-all.js';
import { startEphemeralDevServer } from '../lib/test-servers.js';
import { loadLine, pct } from './bench-figures.js';
import { cpuSecondsOf, memoryOf } from './proc-stats.js';
import { eventsIfAny, eventTimeMs, printBreakdown } from './orchestration-breakdown.js';
import { bareChildId, bareGoSignal } from './orchestration-bare-fleet.js';

const WORKFLOWS = new URL('./orchestration-workflows.ts', import.meta.url).pathname;
const WORKER_MAIN = new URL('./orchestration-worker.ts', import.meta.url).pathname;

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '10' },
    worker: { type: 'string', default: '{}' },
    'server-defaults': { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-baseline': { type: 'boolean', default: false },
    timeline: { type: 'boolean', default: false },
  },
});

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

/** The worker settings (defaults unless --worker overrides some), as the worker process reads them. */
const workerSettings = workerRunConfig('bench', JSON.parse(args.worker) as Record<string, unknown>);

/** What `flywheel start` uses: the flywheels' queue, and the queues of their cycles and training, from the workers' config. */
const flywheelClient = (client: Client) =>
  new FlywheelClient(client, {
    taskQueue: workerSettings.orchestrationTaskQueue,
    flywheelOptions: flywheelQueueOptions(workerSettings),
  });

const ms = (x: number) => `${x.toFixed(0)} ms`;
const mib = (x: number) => `${x.toFixed(0)} MiB`;

interface Stack {
  client: Client;
  serverPid: number;
  workerPid: number;
  close(): Promise<void>;
}

/** A fresh dev server and a fresh worker process on it. */
async function startStack(cliPath: string, bundlePath: string): Promise<Stack> {
  const server = await startEphemeralDevServer(cliPath, { dispatch: !args['server-defaults'] });
  let worker: ChildProcess | undefined;
  try {
    // BENCH_WORKER_NODE_ARGS profiles the worker alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    const nodeArgs = process.env.BENCH_WORKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    worker = spawn(process.execPath, [...nodeArgs, '--import', import.meta.resolve('tsx'), WORKER_MAIN], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        BENCH_ADDRESS: server.address,
        BENCH_NAMESPACE: server.namespace,
        BENCH_BUNDLE: bundlePath,
        BENCH_WORKER_SETTINGS: args.worker,
      },
    });
    const w = worker;
    await new Promise<void>((resolve, reject) => {
      w.stdout?.on('data', (b: Buffer) => b.toString().includes('ready') && resolve());
      w.once('exit', (code) => reject(new Error(`the worker process exited with ${code} before it was ready`)));
    });
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection, namespace: server.namespace });
    return {
      client,
      serverPid: server.pid,
      workerPid: w.pid!,
      async close() {
        await connection.close();
        const exited = new Promise((r) => w.once('exit', r));
        w.kill('SIGTERM');
        await exited;
        await server.stop();
      },
    };
  } catch (err) {
    worker?.kill('SIGKILL');
    await server.stop();
    throw err;
  }
}

/**
 * The result of workflow `workflowId`, waiting for it to be started (asking again every
 * `retryMs`: the fleet runs ask rarely, so their own polling of a thousand workflows not yet
 * started does not load the server they measure).
 */
async function resultWhenStarted<T>(client: Client, workflowId: string, retryMs: number): Promise<T> {
  for (;;) {
    try {
      return (await client.workflow.getHandle(workflowId).result()) as T;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      await new Promise((r) => setTimeout(r, retryMs));
    }
  }
}

/** The report of cycle `n` of the model's flywheel, once the flywheel has started and finished it. */
const cycleReport = (client: Client, modelId: string, n: number, retryMs = 10): Promise<CycleReport> =>
  resultWhenStarted<CycleReport>(client, cycleWorkflowId(modelId, n), retryMs);

type Events = temporal.api.history.v1.IHistoryEvent[];
const eventsOf = async (client: Client, workflowId: string): Promise<Events> =>
  (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
/** Activities a history ran: scheduled ones and local ones (their markers; patch markers are not activities). */
const activitiesIn = (events: Events) =>
  events.filter(
    (e) =>
      e.activityTaskScheduledEventAttributes || e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
  ).length;
const localIn = (events: Events) =>
  events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length;

async function cycleVsBare(stack: Stack): Promise<void> {
  const { client } = stack;
  const runs = Number(args.runs);
  const modelId = 'bench-cycle';
  // What `flywheel start` does: the default queue and options.
  const flywheels = flywheelClient(client);
  await flywheels.start(spec(modelId));
  let cycle = 0;
  const runCycle = async () => {
    const n = ++cycle;
    const t = performance.now();
    await flywheels.signal(driftAlertSignal, modelId, { score: 0.9, source: 'bench' });
    const r = await cycleReport(client, modelId, n);
    if (r.outcome !== 'promoted') throw new Error(`cycle ${n} ended ${r.outcome}: ${r.reason}`);
    return performance.now() - t;
  };
  await runCycle(); // warm-up, and the probe of what one cycle runs
  const cycleId = cycleWorkflowId(modelId, 1);
  const [cycleEvents, rolloutEvents] = await Promise.all([
    eventsOf(client, cycleId),
    eventsIfAny(client, `${cycleId}:rollout`),
  ]);
  const activities = activitiesIn(cycleEvents) + activitiesIn(rolloutEvents);
  const local = localIn(cycleEvents) + localIn(rolloutEvents);
  const flywheelBefore = (await eventsOf(client, flywheelWorkflowId(modelId))).length;
  const runBare = async (i: number) => {
    const t = performance.now();
    await client.workflow.execute('bareActivities', {
      workflowId: `bench-bare-${i}`,
      // The queue the cycle ran on: the cycles' own when they have one.
      taskQueue: workerSettings.cycleTaskQueue ?? workerSettings.orchestrationTaskQueue,
      args: [activities],
    });
    return performance.now() - t;
  };
  await runBare(0);
  const cycles: number[] = [];
  const bare: number[] = [];
  for (let i = 1; i <= runs; i++) {
    cycles.push(await runCycle());
    bare.push(await runBare(i));
  }
  const flywheelPerCycle = ((await eventsOf(client, flywheelWorkflowId(modelId))).length - flywheelBefore) / runs;
  if (args.timeline) await printTimeline(client, modelId, cycle);
  const c = pct(cycles, 50);
  const b = pct(bare, 50);
  console.log(
    `\n(a) a cycle as a flywheel runs it (alert → cycle result; ${activities} activities of which ${local} local, ` +
      `incl. any rollout child) vs a bare workflow of ${activities} no-op activities; ${runs} runs each after a warm-up`,
  );
  console.log(
    `    events per cycle: cycle ${cycleEvents.length}, rollout ${rolloutEvents.length}, flywheel ${flywheelPerCycle.toFixed(0)}`,
  );
  console.log(`    cycle via flywheel   p50 ${ms(c)}  p90 ${ms(pct(cycles, 90))}`);
  console.log(`    bare workflow        p50 ${ms(b)}  p90 ${ms(pct(bare, 90))}`);
  console.log(`    ratio (p50)          ${(c / b).toFixed(2)}× (goal ≤ 1.2×)   ${loadLine()}`);
}

/**
 * `--timeline`: every event of cycle `n`, its rollout and the flywheel's events from its
 * alert on, in time order, each with the ms since the previous one: where a cycle's time goes.
 */
async function printTimeline(client: Client, modelId: string, n: number): Promise<void> {
  const cycleId = cycleWorkflowId(modelId, n);
  const named = async (label: string, id: string) =>
    (await eventsIfAny(client, id)).map((e) => ({
      label,
      e,
      at: eventTimeMs(e),
    }));
  const all = [
    ...(await named('flywheel', flywheelWorkflowId(modelId))),
    ...(await named('cycle', cycleId)),
    ...(await named('rollout', `${cycleId}:rollout`)),
  ].sort((a, b) => a.at - b.at);
  const cycleStart = all.find((x) => x.label === 'cycle')!.at;
  const from = all
    .filter((x) => x.label === 'flywheel' && x.at < cycleStart && x.e.workflowExecutionSignaledEventAttributes)
    .at(-1)!.at;
  console.log(`    timeline of cycle ${n} (ms since the alert's signal event; +ms since the previous event):`);
  let prev = from;
  for (const x of all.filter((x) => x.at >= from)) {
    const type = temporalEventType(x.e);
    console.log(
      `    ${(x.at - from).toFixed(0).padStart(5)}  +${(x.at - prev).toFixed(0).padStart(3)}  ${x.label.padEnd(8)} ${type}`,
    );
    prev = x.at;
  }
}

/** The event's type name without the prefix, e.g. "WORKFLOW_TASK_STARTED". */
const temporalEventType = (e: Events[number]): string =>
  Object.keys(e).find((k) => k.endsWith('EventAttributes') && (e as Record<string, unknown>)[k]) ?? String(e.eventType);

/**
 * Sends one message per id, all at once: every one in flight together (the client's
 * connection is the only limit). Returns when each was sent and when the first was.
 */
async function sendAllAtOnce(
  ids: readonly string[],
  send: (id: string) => Promise<void>,
): Promise<{ sentAt: Map<string, number>; from: number }> {
  const sentAt = new Map<string, number>();
  const from = Date.now();
  await Promise.all(
    ids.map(async (id) => {
      sentAt.set(id, Date.now());
      await send(id);
    }),
  );
  return { sentAt, from };
}

/** Resolves once the workflow's first workflow task has completed. */
async function firstTaskDone(client: Client, workflowId: string): Promise<void> {
  while (!(await eventsOf(client, workflowId)).some((e) => e.workflowTaskCompletedEventAttributes))
    await new Promise((r) => setTimeout(r, 200));
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function pool<T>(items: readonly T[], limit: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** What the fleet run and its bare baseline both report, for the ratio. */
interface FleetFigures {
  decidedP50: number;
  decidedP99: number;
  cyclesPerS: number;
  /** Activities of one cycle and its rollout (local ones counted): the bare child runs as many. */
  activities: number;
}

async function fleet(stack: Stack, n: number): Promise<FleetFigures> {
  const { client } = stack;
  const ids = Array.from({ length: n }, (_, i) => `fleet-${i}`);
  const flywheels = flywheelClient(client);
  const t0 = performance.now();
  await pool(ids, 50, async (id) => void (await flywheels.start(spec(id))));
  const startedMs = performance.now() - t0;
  // A fleet exists before its alerts: wait until every flywheel has run its first workflow
  // task (evaluated its code, set its search attributes), so the alerts meet idle flywheels.
  await pool(ids, 50, (id) => firstTaskDone(client, flywheelWorkflowId(id)));
  const idleMs = performance.now() - t0;
  const serverCpu0 = cpuSecondsOf(stack.serverPid);
  const benchCpu0 = process.cpuUsage();
  const workerCpu0 = cpuSecondsOf(stack.workerPid);
  const load0 = loadLine();
  const { sentAt, from: alertsFrom } = await sendAllAtOnce(ids, (id) =>
    flywheels.signal(driftAlertSignal, id, { score: 0.9, source: 'bench' }),
  );
  const alertsSentMs = Date.now() - alertsFrom;
  const reports: CycleReport[] = [];
  await pool(ids, 250, async (id) => void reports.push(await cycleReport(client, id, 1, 500)));
  const serverCpu = cpuSecondsOf(stack.serverPid) - serverCpu0;
  const workerCpu = cpuSecondsOf(stack.workerPid) - workerCpu0;
  const benchCpuUs = process.cpuUsage(benchCpu0);
  const benchCpu = (benchCpuUs.user + benchCpuUs.system) / 1e6;
  const worker = memoryOf(stack.workerPid);
  const server = memoryOf(stack.serverPid);
  const failed = reports.filter((r) => r.outcome !== 'promoted');
  // Two readings of "cycle start": the child workflow existing (its start event, written when
  // the flywheel's start-child command is accepted: what the flywheel decides), and the
  // cycle's first workflow task running (its report's startedAt: when its work begins).
  const startedEvent = new Map<string, number>();
  let belowControl = 0; // cycles the server dispatched at CYCLE_PRIORITY_KEY, below the flywheels
  await pool(reports, 50, async (r) => {
    const { startTime, raw } = await client.workflow.getHandle(r.workflowId).describe();
    startedEvent.set(r.workflowId, startTime.getTime());
    if (raw.workflowExecutionInfo?.priority?.priorityKey === CYCLE_PRIORITY_KEY) belowControl++;
  });
  const decided = reports.map((r) => startedEvent.get(r.workflowId)! - sentAt.get(r.modelId)!);
  const delays = reports.map((r) => r.startedAt - sentAt.get(r.modelId)!);
  const lastEnd = Math.max(...reports.map((r) => r.endedAt));
  const spanS = (lastEnd - alertsFrom) / 1000;
  console.log(
    `\n(b) N=${n} flywheels (started in ${ms(startedMs)}, all idle after ${ms(idleMs)}), one drift alert each, all sent at once (in ${ms(alertsSentMs)})`,
  );
  console.log(
    `    alert → cycle started (its start event)   p50 ${ms(pct(decided, 50))}  p99 ${ms(pct(decided, 99))}  max ${ms(Math.max(...decided))} (goal p99 ≤ 2000 ms)`,
  );
  console.log(
    `    alert → cycle's first workflow task runs  p50 ${ms(pct(delays, 50))}  p99 ${ms(pct(delays, 99))}  max ${ms(Math.max(...delays))}`,
  );
  console.log(
    `    cycles               ${reports.length - failed.length}/${n} promoted${
      failed.length
        ? `; NOT: ${failed
            .slice(0, 3)
            .map((r) => `${r.workflowId} ${r.outcome} (${r.reason})`)
            .join('; ')}`
        : ''
    }; all done ${spanS.toFixed(1)} s after the first alert: ${(n / spanS).toFixed(1)} cycles/s`,
  );
  console.log(
    `    cycles at priority key ${CYCLE_PRIORITY_KEY} (below the flywheels' default 3): ${belowControl}/${n}`,
  );
  console.log(
    `    worker process       peak RSS ${mib(worker.peakMiB)} (goal ≤ 1536 MiB), RSS now ${mib(worker.rssMiB)}, CPU ${workerCpu.toFixed(1)} s`,
  );
  console.log(
    `    Temporal dev server  CPU ${serverCpu.toFixed(1)} s (${((serverCpu / spanS) * 100).toFixed(0)}% of a core), peak RSS ${mib(server.peakMiB)}, RSS now ${mib(server.rssMiB)}`,
  );
  console.log(`    bench client         CPU ${benchCpu.toFixed(1)} s (signals, waiting for results)`);
  console.log(`    before the alerts: ${load0}; after: ${loadLine()}`);
  await printBreakdown(client, ids);
  const probe = cycleWorkflowId(ids[0]!, 1);
  const [cycleEvents, rolloutEvents] = await Promise.all([
    eventsOf(client, probe),
    eventsIfAny(client, `${probe}:rollout`),
  ]);
  return {
    decidedP50: pct(decided, 50),
    decidedP99: pct(decided, 99),
    cyclesPerS: n / spanS,
    activities: activitiesIn(cycleEvents) + activitiesIn(rolloutEvents),
  };
}

/**
 * The fleet run's baseline, on a fresh server and worker process of its own: N bare parents
 * (orchestration-workflows.ts), one signal each, all at once; signal → child's start event.
 * With `childActivities` as many as a cycle's (c): what this machine's dev server and worker
 * do with N reactions and N children and nothing of ours. With none (d): the starts alone,
 * nothing competing with them, the lowest alert → start this server can give.
 */
async function bareFleet(stack: Stack, n: number, ours: FleetFigures, childActivities: number): Promise<void> {
  const { client } = stack;
  const floor = childActivities === 0;
  const taskQueue = workerSettings.orchestrationTaskQueue;
  const ids = Array.from({ length: n }, (_, i) => `bare-fleet-${i}`);
  await pool(ids, 50, async (workflowId) => {
    await client.workflow.start('bareParent', { workflowId, taskQueue, args: [childActivities] });
  });
  await pool(ids, 50, (id) => firstTaskDone(client, id));
  const serverCpu0 = cpuSecondsOf(stack.serverPid);
  const workerCpu0 = cpuSecondsOf(stack.workerPid);
  const load0 = loadLine();
  const { sentAt, from: alertsFrom } = await sendAllAtOnce(ids, (id) =>
    client.workflow.getHandle(id).signal(bareGoSignal),
  );
  const ended = new Map<string, number>();
  await pool(ids, 250, async (id) => {
    await resultWhenStarted<void>(client, bareChildId(id), 500);
    ended.set(id, Date.now());
  });
  const spanS = (Math.max(...ended.values()) - alertsFrom) / 1000;
  const serverCpu = cpuSecondsOf(stack.serverPid) - serverCpu0;
  const workerCpu = cpuSecondsOf(stack.workerPid) - workerCpu0;
  const worker = memoryOf(stack.workerPid);
  const decided: number[] = [];
  await pool(ids, 50, async (id) => {
    const { startTime } = await client.workflow.getHandle(bareChildId(id)).describe();
    decided.push(startTime.getTime() - sentAt.get(id)!);
  });
  const p50 = pct(decided, 50);
  const p99 = pct(decided, 99);
  console.log(
    floor
      ? `\n(d) floor: N=${n} bare parents (a signal, then a child of no activities: nothing competes with the starts), all signalled at once`
      : `\n(c) baseline: N=${n} bare parents (a signal, then a child of ${childActivities} no-op activities; nothing of ours), all signalled at once`,
  );
  console.log(
    `    signal → child started (its start event)  p50 ${ms(p50)}  p99 ${ms(p99)}  max ${ms(Math.max(...decided))}`,
  );
  console.log(
    `    children             ${ended.size}/${n} done; all done ${spanS.toFixed(1)} s after the first signal: ${(n / spanS).toFixed(1)} children/s`,
  );
  console.log(
    `    worker process       peak RSS ${mib(worker.peakMiB)}, CPU ${workerCpu.toFixed(1)} s; dev server CPU ${serverCpu.toFixed(1)} s`,
  );
  console.log(`    before the signals: ${load0}; after: ${loadLine()}`);
  console.log(
    `    ratio (b) / (${floor ? 'd' : 'c'})      alert → cycle started p50 ${(ours.decidedP50 / p50).toFixed(2)}×, p99 ${(ours.decidedP99 / p99).toFixed(2)}×; throughput ${(ours.cyclesPerS / (n / spanS)).toFixed(2)}×`,
  );
}

async function main(): Promise<void> {
  const { temporalCli } = await provisionAll({ testServer: false });
  const dir = mkdtempSync(join(tmpdir(), 'ct-bench-orchestration-'));
  try {
    // Bundled here once, so the worker process's peak RSS is not webpack's.
    const { code } = await bundleWithPreload({
      workflowsPath: WORKFLOWS,
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
    });
    const bundlePath = join(dir, 'workflows.js');
    writeFileSync(bundlePath, code);
    console.log(
      `node ${process.version}, ${cpus().length} cores, ${loadLine()}; dev server ${args['server-defaults'] ? 'defaults' : 'with the project dispatch settings'}; worker settings ${args.worker === '{}' ? 'default' : args.worker}`,
    );
    if (args.only !== 'fleet') {
      const stack = await startStack(temporalCli.path, bundlePath);
      try {
        await cycleVsBare(stack);
      } finally {
        await stack.close();
      }
    }
    if (args.only !== 'cycle') {
      const stack = await startStack(temporalCli.path, bundlePath);
      let ours: FleetFigures;
      try {
        ours = await fleet(stack, Number(args.n));
      } finally {
        await stack.close();
      }
      if (!args['no-baseline']) {
        for (const childActivities of [ours.activities, 0]) {
          const bare = await startStack(temporalCli.path, bundlePath);
          try {
            await bareFleet(bare, Number(args.n), ours, childActivities);
          } finally {
            await bare.close();
          }
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Exits when done: something of the SDK's client side (gRPC channels, the Runtime's log
// forwarding) kept the process alive for minutes after every connection was closed.
main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
