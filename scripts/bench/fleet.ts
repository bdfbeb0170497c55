/**
 * Fleet monitoring benchmark (prints figures; not a test). On an ephemeral dev server it
 * serves N models (a real registry version, hashed reference profile and routing each;
 * `--rows R` healthy logged predictions in each drift window: 0, the default, is an idle
 * model; with R ≥ 200 every check runs the drift tests), starts their idle flywheels,
 * and measures three phases of the same length in one run:
 *  (0) idle: workers polling, no monitoring (the worker's fixed cost, not per model);
 *  (1) baseline: the old design, one productionMonitor workflow per model (M models);
 *  (2) the fleet monitor: the N models on DEFAULT_MONITOR_SHARDS shards.
 * Each phase counts the history events of every monitoring workflow and of the flywheels
 * (signals), this process's CPU (it runs the worker; the idle phase's CPU is taken off) and
 * the Temporal server's CPU. Intervals are time-compressed (default 5 s for the real 5 min):
 * per-day figures are per check round × 288 rounds/day, which is exact for events (each
 * check costs the same events at any interval) and for the CPU of checks, while the worker's
 * idle cost is printed separately per day. Usage:
 *   npm run bench:fleet -- [--models 200] [--legacy-models 50] [--seconds 60] [--interval-ms 5000] [--rows 0]
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { bundleWithPreload } from '../../src/workers/workflow-preload.js';
import { pino } from 'pino';
import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import { fleetShardStatusQuery, sweepPlanQuery } from '../../src/contracts/fleet-monitor.js';
import { monitorWorkflowId, PRODUCTION_MONITOR_WORKFLOW } from '../../src/contracts/production-monitor.js';
import { installRuntimeLogger } from '../../src/logging/logger.js';
import { startProductionMonitor } from '../../src/monitor/start-monitor.js';
import { WorkerRole } from '../../src/workers/activity-roles.js';
import { buildActivities } from '../../src/workers/build-activities.js';
import { startWorkers, WORKFLOWS_ENTRY } from '../../src/workers/start-workers.js';
import { workerRunConfig } from '../../src/workers/worker-config.js';
import { logTraffic, monitoredSpec, serveChampion } from '../../test/support/served-champion.js';
import { provisionAll } from '../lib/provision-all.js';
import { startEphemeralDevServer } from '../lib/test-servers.js';
import { SqliteServingState } from '../../src/adapters/serving-state/index.js';

const { values: args } = parseArgs({
  options: {
    models: { type: 'string', default: '200' },
    'legacy-models': { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    'interval-ms': { type: 'string', default: '5000' },
    rows: { type: 'string', default: '0' },
  },
});
const N = Number(args.models);
const M = Number(args['legacy-models']);
const WINDOW_MS = Number(args.seconds) * 1000;
const INTERVAL_MS = Number(args['interval-ms']);
/** Predictions in each model's drift window: 0 is an idle model (no requests lately); 1000 a busy one. */
const ROWS = Number(args.rows);
const ROUNDS_PER_DAY = (24 * 60) / 5; // a 5-min interval
const QUEUE = 'bench-fleet';
const FLOORS = { drift: 0.3, performance: 0.02 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
/** utime + stime of a process in seconds (Linux /proc; clock ticks of 100 Hz). */
const processCpuSeconds = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const fmt = (x: number, digits = 1) => x.toLocaleString('en-US', { maximumFractionDigits: digits });

interface Window {
  /** Checks of single models done in the window (each monitor's or shard's own count). */
  checks: number;
  events: number;
  workerCpuS: number;
  serverCpuS: number;
  seconds: number;
  runsChanged: number;
}

async function main(): Promise<void> {
  installRuntimeLogger(pino({ level: process.env.LOG_LEVEL ?? 'warn' }));
  console.log(
    `bench:fleet  models ${N} (fleet), ${M} (per-model baseline); window ${WINDOW_MS / 1000} s per phase; interval ${INTERVAL_MS} ms standing for 5 min (×${fmt(300_000 / INTERVAL_MS, 0)})`,
  );
  console.log(`load average at start: ${load()}`);
  const { temporalCli } = await provisionAll({ testServer: false });
  const server = await startEphemeralDevServer(temporalCli.path);
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-fleet-'));
  const built = buildActivities(dir);
  const servingState = built.servingState;
  if (!(servingState instanceof SqliteServingState))
    throw new Error('bench:fleet runs on the embedded SQLite serving state');
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const native = await NativeConnection.connect({ address: server.address });
  const flywheels = new FlywheelClient(client, { taskQueue: QUEUE });
  try {
    const store = { dir, registry: built.registry, servingState };
    const ids = Array.from({ length: N + M }, (_, i) => `fleet-bench-${i}`);
    const t0 = performance.now();
    for (const id of ids) {
      const version = await serveChampion(store, id, 0.9);
      await logTraffic(servingState, id, version, { rows: ROWS, shifted: false, accuracy: 0.9 });
    }
    console.log(
      `served ${ids.length} champions with ${ROWS} healthy predictions each in their drift window in ${fmt((performance.now() - t0) / 1000)} s`,
    );
    const bundle = await bundleWithPreload({
      workflowsPath: WORKFLOWS_ENTRY,
      logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} },
    });
    const workers = await startWorkers({
      config: workerRunConfig(server.namespace, {
        orchestrationTaskQueue: QUEUE,
        trainingTaskQueue: `${QUEUE}-training`,
        shutdownGraceMs: 1,
      }),
      deps: { connection: native, client, activities: built.activities, workflowBundle: bundle },
      roles: [WorkerRole.orchestration],
    });
    for (const id of ids) await flywheels.start(monitoredSpec(id));
    // A query is answered after the flywheel's first tasks: wait for all, then let the worker settle.
    for (const id of ids) await flywheels.status(id, { liveCycle: false });
    await sleep(5_000);
    console.log(`started ${ids.length} idle flywheels`);
    const legacyIds = ids.slice(N);
    const fleetIds = ids.slice(0, N);

    // Counters are read over many workflows, which takes time: each snapshot stands at its
    // midpoint; CPU is measured as a rate while nothing but monitoring runs, over that span.
    const snapshot = async (workflowIds: string[], checks: () => Promise<number>) => {
      const t0 = performance.now();
      const hist = await histories(client, workflowIds);
      const checked = await checks();
      return { at: (t0 + performance.now()) / 2, hist, checked };
    };
    const measure = async (workflowIds: string[], checks: () => Promise<number> = async () => 0): Promise<Window> => {
      const before = await snapshot(workflowIds, checks);
      // CPU over the sleep only: the snapshots' queries are the bench's work, not monitoring.
      const cpu0 = cpuSeconds();
      const srv0 = processCpuSeconds(server.pid);
      const sleepStart = performance.now();
      await sleep(WINDOW_MS);
      const slept = (performance.now() - sleepStart) / 1000;
      const cpuRate = (cpuSeconds() - cpu0) / slept;
      const srvRate = (processCpuSeconds(server.pid) - srv0) / slept;
      const after = await snapshot(workflowIds, checks);
      const seconds = (after.at - before.at) / 1000;
      const workerCpuS = cpuRate * seconds;
      const serverCpuS = srvRate * seconds;
      let events = 0;
      let runsChanged = 0;
      for (const [id, a] of after.hist) {
        const b = before.hist.get(id) ?? { runId: '', length: 0 };
        if (a.runId !== b.runId && b.runId !== '') runsChanged++;
        events += a.runId === b.runId ? a.length - b.length : a.length;
      }
      return { checks: after.checked - before.checked, events, workerCpuS, serverCpuS, seconds, runsChanged };
    };

    // (0) Idle: the worker's own cost, nothing monitored.
    const idle = await measure(ids.map((id) => `flywheel:${id}`));
    console.log(
      `phase 0 idle: worker ${fmt(idle.workerCpuS, 2)} CPU-s, server ${fmt(idle.serverCpuS, 2)} CPU-s in ${fmt(idle.seconds)} s; load ${load()}`,
    );

    // (1) The old design: one monitor workflow per model.
    for (const id of legacyIds)
      await client.workflow.start(PRODUCTION_MONITOR_WORKFLOW, {
        workflowId: monitorWorkflowId(id),
        taskQueue: QUEUE,
        args: [{ modelId: id, floors: FLOORS, settings: { intervalMs: INTERVAL_MS } }],
      });
    const legacyChecks = async () => {
      let n = 0;
      for (const id of legacyIds) n += (await flywheels.monitorFindings(id)).checks;
      return n;
    };
    while ((await legacyChecks()) < legacyIds.length) await sleep(500); // every monitor past its first check
    const legacy = await measure(
      [...legacyIds.map(monitorWorkflowId), ...legacyIds.map((id) => `flywheel:${id}`)],
      legacyChecks,
    );
    for (const id of legacyIds) await client.workflow.getHandle(monitorWorkflowId(id)).terminate('bench phase done');
    console.log(
      `phase 1 per-model monitors (${M}): ${legacy.checks} checks, ${legacy.events} events, worker ${fmt(legacy.workerCpuS, 2)} CPU-s, server ${fmt(legacy.serverCpuS, 2)} CPU-s in ${fmt(legacy.seconds)} s; load ${load()}`,
    );

    // (2) The fleet monitor.
    for (const id of fleetIds) await startProductionMonitor(flywheels, monitoredSpec(id), { intervalMs: INTERVAL_MS });
    const shardIds = [...new Set(fleetIds.map((id) => flywheels.monitorShardId(id)))];
    const firstSweepDone = async () => {
      for (const s of shardIds) {
        const st = await client.workflow.getHandle(s).query(fleetShardStatusQuery.definition);
        if (st.sweeps < 2) return false;
      }
      return true;
    };
    while (!(await firstSweepDone())) await sleep(500);
    const planBytes = (
      await Promise.all(shardIds.map((s) => client.workflow.getHandle(s).query(sweepPlanQuery.definition)))
    ).reduce((sum, p) => sum + JSON.stringify(p).length, 0);
    const fleetChecks = async () => {
      let n = 0;
      for (const id of fleetIds) n += (await flywheels.shardModelStatus(id))?.checks ?? 0;
      return n;
    };
    const fleet = await measure([...shardIds, ...fleetIds.map((id) => `flywheel:${id}`)], fleetChecks);
    const sweeps = await Promise.all(
      shardIds.map((s) => client.workflow.getHandle(s).query(fleetShardStatusQuery.definition)),
    );
    console.log(
      `phase 2 fleet monitor (${N} models on ${shardIds.length} shards): ${fleet.checks} checks, ${fleet.events} events, worker ${fmt(fleet.workerCpuS, 2)} CPU-s, server ${fmt(fleet.serverCpuS, 2)} CPU-s in ${fmt(fleet.seconds)} s; load ${load()}`,
    );
    const lastSweeps = sweeps.map((st) => st.lastSweep);
    const msPerCheck =
      lastSweeps.reduce((a, s) => a + (s?.durationMs ?? 0), 0) /
      Math.max(
        1,
        lastSweeps.reduce((a, s) => a + (s?.checked ?? 0), 0),
      );
    if (legacy.runsChanged + fleet.runsChanged > 0)
      console.log(
        `note: ${legacy.runsChanged + fleet.runsChanged} run(s) continued as new in a window; their old runs' tail is not counted`,
      );

    // Per model per day = per check × 288 checks (a 5-min interval): exact for events, and for the
    // CPU of checks once the worker's idle rate (phase 0) is taken off.
    const perDay = (w: Window) => {
      const idleRate = idle.workerCpuS / idle.seconds;
      const idleServerRate = idle.serverCpuS / idle.seconds;
      const perCheck = (x: number) => (x / Math.max(1, w.checks)) * ROUNDS_PER_DAY;
      return {
        checks: w.checks,
        events: perCheck(w.events),
        cpu: perCheck(Math.max(0, w.workerCpuS - idleRate * w.seconds)),
        serverCpu: perCheck(Math.max(0, w.serverCpuS - idleServerRate * w.seconds)),
      };
    };
    const old = perDay(legacy);
    const now = perDay(fleet);
    const row = (label: string, d: ReturnType<typeof perDay>) =>
      console.log(
        `${label.padEnd(34)} ${fmt(d.events).padStart(10)} ${fmt(d.cpu, 3).padStart(12)} ${fmt(d.serverCpu, 3).padStart(14)} ${fmt(d.events * 10_000, 0).padStart(16)} ${fmt((d.cpu * 10_000) / 86_400, 3).padStart(12)}`,
      );
    console.log('');
    console.log(
      `per model per day at a 5-min interval (from ${old.checks} / ${now.checks} checks measured); load average ${load()}`,
    );
    console.log(
      `${'design'.padEnd(34)} ${'events'.padStart(10)} ${'worker CPU-s'.padStart(12)} ${'server CPU-s'.padStart(14)} ${'10k: events/day'.padStart(16)} ${'10k: cores'.padStart(12)}`,
    );
    row(`per-model monitors (baseline, ${M})`, old);
    row(`fleet monitor (${N} on ${shardIds.length} shards)`, now);
    // Every model is due at every sweep (interval = boundary), so a shard swept checks/N times;
    // flywheel events (signals) are 0 for idle models, the rest are the shards' sweeps.
    const sweepsInWindow = (fleet.checks / N) * shardIds.length;
    const eventsPerSweep = fleet.events / Math.max(1, sweepsInWindow);
    const shardsAt10k = flywheels.monitorShards;
    console.log('');
    console.log(
      `fleet at 10,000 models on ${shardsAt10k} shards: ${fmt(eventsPerSweep)} events per sweep per shard → ${fmt((shardsAt10k * eventsPerSweep * ROUNDS_PER_DAY) / 10_000, 2)} events/model/day (${fmt(shardsAt10k * eventsPerSweep * ROUNDS_PER_DAY, 0)}/day, ${fmt((shardsAt10k * eventsPerSweep * ROUNDS_PER_DAY) / 86_400, 2)}/s in all) vs baseline ${fmt(old.events * 10_000, 0)}/day (${fmt((old.events * 10_000) / 86_400, 0)}/s)`,
    );
    console.log(
      `  a sweep checks ${fmt(msPerCheck, 2)} ms per model → ${fmt(10_000 / shardsAt10k, 0)} models per shard take ${fmt((msPerCheck * 10_000) / shardsAt10k / 1000, 1)} s of a 300 s interval; shard state ${fmt(planBytes / N, 0)} B per model (sweep plan) → ${fmt(((planBytes / N) * (10_000 / shardsAt10k)) / 1e6, 2)} MB per shard (2 MB payload limit at continue-as-new)`,
    );
    console.log(
      `  worker idle cost (not per model): ${fmt((idle.workerCpuS / idle.seconds) * 86_400, 0)} CPU-s/day for the worker process, whatever the fleet size`,
    );
    console.log(
      `acceptance (idle model ≤ 100 events/day and ≤ 1 worker CPU-s/day): ${now.events <= 100 && now.cpu <= 1 ? 'met' : 'NOT met'} (${fmt(now.events)} events, ${fmt(now.cpu, 3)} CPU-s)`,
    );
    console.log(`load average at end: ${load()}`);
    await workers.stop();
  } finally {
    await built.close();
    await connection.close();
    await native.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** History length and run of each workflow (a describe each: no history download). */
async function histories(client: Client, ids: string[]): Promise<Map<string, { runId: string; length: number }>> {
  const out = new Map<string, { runId: string; length: number }>();
  for (let i = 0; i < ids.length; i += 20) {
    await Promise.all(
      ids.slice(i, i + 20).map(async (id) => {
        const d = await client.workflow.getHandle(id).describe();
        out.set(id, { runId: d.runId, length: d.historyLength });
      }),
    );
  }
  return out;
}

await main();
