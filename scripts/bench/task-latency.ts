/**
 * Where a task round trip's time goes on the dev server: runs the bare workflow (n no-op
 * activities in sequence) and reads, from each history, how long every workflow task and
 * activity task waited between being scheduled and being picked up by the worker.
 * Usage (one ephemeral dev server per variant, all in this run):
 *   npx tsx scripts/bench/task-latency.ts
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import { pino } from 'pino';
import { installRuntimeLogger } from '../../src/logging/logger.js';
import { provisionAll } from '../lib/provision-all.js';
import { startEphemeralDevServer } from '../lib/test-servers.js';
import { DEV_SERVER_DISPATCH_CONFIG } from '../../src/local-server/dev-server-args.js';
import { loadLine, pct } from './bench-figures.js';

const BARE = new URL('./orchestration-workflows.ts', import.meta.url);

export interface TaskLatency {
  /** Median per-activity time of the whole workflow (its duration / activity count). */
  perActivityMs: number;
  /** WorkflowTaskScheduled → WorkflowTaskStarted, p50 / p90. */
  wftWait: [number, number];
  /** ActivityTaskScheduled → ActivityTaskStarted, p50 / p90. */
  activityWait: [number, number];
  /** ActivityTaskStarted → ActivityTaskCompleted (the worker's share of an instant activity), p50. */
  activityRun: number;
  /** WorkflowTaskStarted → WorkflowTaskCompleted (the worker's share of a workflow task), p50. */
  wftRun: number;
}

const millis = (t: temporal.api.history.v1.IHistoryEvent['eventTime']) =>
  Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);

/** Gaps between each event of `from` type and the next event of `to` type, from the history's own timestamps. */
function gaps(events: temporal.api.history.v1.IHistoryEvent[], from: string, to: string): number[] {
  const out: number[] = [];
  let open: number | undefined;
  for (const e of events) {
    if (e[from as keyof typeof e]) open = millis(e.eventTime);
    else if (e[to as keyof typeof e] && open !== undefined) {
      out.push(millis(e.eventTime) - open);
      open = undefined;
    }
  }
  return out;
}

/** Runs `runs` bare workflows of `activities` no-ops on the given client's server and measures every task. */
export async function measureTaskLatency(
  client: Client,
  taskQueue: string,
  opts: { runs: number; activities: number },
): Promise<TaskLatency> {
  const per: number[] = [];
  const wft: number[] = [];
  const at: number[] = [];
  const atRun: number[] = [];
  const wftRun: number[] = [];
  for (let i = 0; i < opts.runs + 1; i++) {
    const t = performance.now();
    const handle = await client.workflow.start('bareActivities', {
      workflowId: `task-latency-${Date.now()}-${i}`,
      taskQueue,
      args: [opts.activities],
    });
    await handle.result();
    if (i === 0) continue; // warm-up: first bundle load and connections
    per.push((performance.now() - t) / opts.activities);
    const events = (await handle.fetchHistory()).events ?? [];
    wft.push(...gaps(events, 'workflowTaskScheduledEventAttributes', 'workflowTaskStartedEventAttributes'));
    at.push(...gaps(events, 'activityTaskScheduledEventAttributes', 'activityTaskStartedEventAttributes'));
    atRun.push(...gaps(events, 'activityTaskStartedEventAttributes', 'activityTaskCompletedEventAttributes'));
    wftRun.push(...gaps(events, 'workflowTaskStartedEventAttributes', 'workflowTaskCompletedEventAttributes'));
  }
  return {
    perActivityMs: pct(per, 50),
    wftWait: [pct(wft, 50), pct(wft, 90)],
    activityWait: [pct(at, 50), pct(at, 90)],
    activityRun: pct(atRun, 50),
    wftRun: pct(wftRun, 50),
  };
}

export function describeTaskLatency(label: string, l: TaskLatency): string {
  const f = (x: number) => `${x.toFixed(0)}`.padStart(3);
  return (
    `    ${label.padEnd(44)} per activity ${f(l.perActivityMs)} ms | wait before a workflow task p50 ${f(l.wftWait[0])} p90 ${f(l.wftWait[1])} ms` +
    ` | before an activity task p50 ${f(l.activityWait[0])} p90 ${f(l.activityWait[1])} ms | worker: wf task ${f(l.wftRun)} ms, activity ${f(l.activityRun)} ms`
  );
}

/** One variant: a fresh dev server with `dynamicConfig`, one worker with `worker` options, the bare workflow measured. */
export async function taskLatencyVariant(
  cliPath: string,
  bundle: WorkflowBundleWithSourceMap,
  variant: { dynamicConfig: Record<string, unknown>; worker?: Record<string, unknown> },
  opts = { runs: 5, activities: 20 },
): Promise<TaskLatency> {
  // The project's dispatch settings are the default of every dev server we start; a variant lists them to keep them.
  const server = await startEphemeralDevServer(cliPath, { dynamicConfig: variant.dynamicConfig, dispatch: false });
  const native = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const taskQueue = 'task-latency';
  try {
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      workflowBundle: bundle,
      activities: { getChampion: async () => null },
      ...variant.worker,
    });
    return await worker.runUntil(measureTaskLatency(client, taskQueue, opts));
  } finally {
    await connection.close();
    await native.close();
    await server.stop();
  }
}

export async function bundleBare(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: BARE.pathname,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: console.error },
  });
}

/** The variants, each on its own server in this run: what the dev server does by default, each setting alone, ours. */
export const TASK_LATENCY_VARIANTS: {
  label: string;
  dynamicConfig: Record<string, unknown>;
  worker?: Record<string, unknown>;
}[] = [
  { label: 'dev server defaults', dynamicConfig: {} },
  { label: 'transfer queue polls 1000/s (not 20/s)', dynamicConfig: { 'history.transferProcessorMaxPollRPS': 1000 } },
  {
    label: '1 task queue partition (not 4)',
    dynamicConfig: { 'matching.numTaskqueueReadPartitions': 1, 'matching.numTaskqueueWritePartitions': 1 },
  },
  { label: 'eager activity dispatch on', dynamicConfig: { 'system.enableActivityEagerExecution': true } },
  {
    label: 'transfer 1000/s + eager activities',
    dynamicConfig: { 'history.transferProcessorMaxPollRPS': 1000, 'system.enableActivityEagerExecution': true },
  },
  { label: 'no sticky queue (cache 0)', dynamicConfig: {}, worker: { maxCachedWorkflows: 0 } },
  { label: 'ours (src/local-server/dev-server-args.ts)', dynamicConfig: DEV_SERVER_DISPATCH_CONFIG },
];

async function main(): Promise<void> {
  installRuntimeLogger(pino({ level: process.env.LOG_LEVEL ?? 'warn' }));
  const { temporalCli } = await provisionAll({ testServer: false });
  const bundle = await bundleBare();
  console.log(`\nper-task latency: bare workflow, 20 no-op activities in sequence, 5 runs per variant (${loadLine()})`);
  for (const v of TASK_LATENCY_VARIANTS) {
    const l = await taskLatencyVariant(temporalCli.path, bundle, v);
    console.log(describeTaskLatency(v.label, l));
  }
  console.log(`    (${loadLine()})`);
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
