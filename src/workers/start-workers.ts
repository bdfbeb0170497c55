import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection, type WorkerOptions, type WorkflowBundleOption } from '@temporalio/worker';
import { cyclesApart, flywheelQueueOptions } from '../config/task-queue-config.js';
import { FlywheelClient } from '../clients/flywheel-client.js';
import { createFleetSweepActivities } from '../monitor/fleet-sweep.js';
import { createFlywheelClientActivities } from '../schedules/flywheel-client-activities.js';
import { activitiesOf, WorkerRole, type WorkerActivities } from './activity-roles.js';
import { TRAINING_HEARTBEAT_THROTTLE } from './training-heartbeats.js';
import type { WorkerRunConfig } from './worker-config.js';
import { bundleWithPreload, workflowPreloadModules } from './workflow-preload.js';
import type { FlywheelMetricsSink } from '../contracts/metrics-sink.js';
import { metricsSinks } from '../metrics/flywheel-metrics.js';

/** The one workflow bundle entry: every workflow the orchestration workers register. */
export const WORKFLOWS_ENTRY = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** What the workers run: built by the caller, who owns (and closes) the connection and adapters. */
export interface WorkerDeps {
  /** The workers' connection to Temporal. */
  connection: NativeConnection;
  /** The activities (`createActivities` over the caller's adapters); each goes to the role ACTIVITY_ROLES names. Absent: workflows only. */
  activities?: Partial<WorkerActivities>;
  /** A client for the activities that act as one (a schedule's signal-with-start of its flywheel); absent, they are not registered. */
  client?: Client;
  /** Replacements for single activities, placed by the same table (tests of failure paths). */
  overrides?: Partial<WorkerActivities>;
  /** Workflow code bundled once by the caller (tests, the bench); absent, the workers bundle {@link WORKFLOWS_ENTRY} at start-up. */
  workflowBundle?: WorkflowBundleOption;
  /** Where the workflows' metrics go (the process's registry); absent, their sink calls are dropped. */
  flywheelMetrics?: FlywheelMetricsSink;
}

export interface StartWorkersOptions {
  config: WorkerRunConfig;
  deps: WorkerDeps;
  /** Which workers this process runs: both for `flywheel up`, the demo and tests; one for the standalone entrypoints. */
  roles: readonly WorkerRole[];
}

export interface RunningWorkers {
  /** Settles when every worker has stopped (rejects if one failed). */
  done: Promise<void>;
  /** Asks the workers still running to drain, then waits for them. */
  stop(): Promise<void>;
  /** Runs `fn` (or awaits the promise) while the workers poll, then stops them; rejects if the workers stop first. */
  runUntil<T>(fnOrPromise: Promise<T> | (() => Promise<T>)): Promise<T>;
}

/**
 * The workers of one role: one per queue. The orchestration role polls the flywheels' queue
 * and, when cycles have their own (`cycleTaskQueue`), a second worker polls that one, with its
 * own workflow task slots, sticky cache and workflow thread: a flywheel's decision is never
 * queued behind the cycles' tasks, and idle flywheels and busy cycles do not evict each other.
 * Both register every workflow and light activity, so a flywheel started without the option
 * (its cycles on its own queue) still runs.
 */
function optionsOf(role: WorkerRole, config: WorkerRunConfig, deps: WorkerDeps): WorkerOptions[] {
  const base = optionsFor(role, config, deps);
  if (role !== WorkerRole.orchestration || !cyclesApart(config)) return [base];
  return [
    base,
    {
      ...base,
      taskQueue: config.cycleTaskQueue,
      maxCachedWorkflows: config.maxCachedCycles,
      maxConcurrentWorkflowTaskExecutions: Math.min(config.maxWorkflowTasks, config.maxCachedCycles),
    },
  ];
}

/** Worker options of one role on its main queue: its activities and its tuning from the config. */
function optionsFor(role: WorkerRole, config: WorkerRunConfig, deps: WorkerDeps): WorkerOptions {
  const inspect = deps.overrides?.inspectProduction ?? deps.activities?.inspectProduction;
  const all: Partial<WorkerActivities> = {
    ...deps.activities,
    ...(deps.client
      ? createFlywheelClientActivities({
          client: deps.client,
          flywheelTaskQueue: config.orchestrationTaskQueue,
          flywheelOptions: flywheelQueueOptions(config),
        })
      : {}),
    // The fleet monitor's sweep checks models with the per-model check and signals as a client.
    ...(deps.client && inspect
      ? createFleetSweepActivities({
          flywheels: new FlywheelClient(deps.client, { taskQueue: config.orchestrationTaskQueue }),
          inspect,
        })
      : {}),
    ...deps.overrides,
  };
  const common = {
    connection: deps.connection,
    namespace: config.connection.namespace,
    activities: activitiesOf(role, all),
    shutdownGraceTime: config.shutdownGraceMs,
  };
  if (role === WorkerRole.training) {
    return {
      ...common,
      taskQueue: config.trainingTaskQueue,
      maxConcurrentActivityTaskExecutions: config.maxTrainingActivities,
      // Checkpoints reach the server within a second (see training-heartbeats.ts).
      maxHeartbeatThrottleInterval: TRAINING_HEARTBEAT_THROTTLE,
    };
  }
  return {
    ...common,
    taskQueue: config.orchestrationTaskQueue,
    ...(deps.workflowBundle
      ? { workflowBundle: deps.workflowBundle }
      : { workflowsPath: WORKFLOWS_ENTRY, bundlerOptions: { preloadModules: workflowPreloadModules() } }),
    sinks: metricsSinks(deps.flywheelMetrics),
    maxConcurrentWorkflowTaskExecutions: config.maxWorkflowTasks,
    maxConcurrentActivityTaskExecutions: config.maxOrchestrationActivities,
    maxCachedWorkflows: config.maxCachedWorkflows,
    workflowThreadPoolSize: config.workflowThreads,
  };
}

/**
 * Creates and runs the workers of the given roles: the one place a worker is built, used by
 * the standalone entrypoints, `flywheel up`, the demo, the bench and the tests. Activities go
 * to the role the ACTIVITY_ROLES table names; queues and tuning come from the config.
 */
export async function startWorkers({ config, deps, roles }: StartWorkersOptions): Promise<RunningWorkers> {
  const all = [...new Set(roles)].flatMap((role) => optionsOf(role, config, deps));
  // Two workers with workflows share one bundle instead of running webpack twice.
  const bundled =
    all.filter((o) => o.workflowsPath).length > 1 ? await bundleWithPreload({ workflowsPath: WORKFLOWS_ENTRY }) : null;
  const workers: Worker[] = [];
  for (const options of all) {
    const { workflowsPath, ...rest } = options;
    workers.push(await Worker.create(bundled && workflowsPath ? { ...rest, workflowBundle: bundled } : options));
  }
  const done = Promise.all(workers.map((w) => w.run())).then(() => undefined);
  // Callers await `done` (or runUntil) when they are ready; a failure before then must not count as unhandled.
  done.catch(() => undefined);
  const stop = async (): Promise<void> => {
    // The SDK already starts a graceful shutdown on SIGINT/SIGTERM; only ask workers still running.
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
    await done;
  };
  return {
    done,
    stop,
    async runUntil<T>(fnOrPromise: Promise<T> | (() => Promise<T>)): Promise<T> {
      const stoppedEarly = done.then(() =>
        Promise.reject(new Error('the workers stopped before the work they ran for finished')),
      );
      try {
        return await Promise.race([typeof fnOrPromise === 'function' ? fnOrPromise() : fnOrPromise, stoppedEarly]);
      } finally {
        stoppedEarly.catch(() => undefined);
        await stop();
      }
    },
  };
}
