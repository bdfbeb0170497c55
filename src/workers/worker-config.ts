import { resolve } from 'node:path';
import { z } from 'zod';
import {
  ConfigError,
  connectionConfigFromEnv,
  describeIssues,
  type ConnectionConfig,
} from '../config/connection-config.js';
import { DATA_DIR_ENV } from '../config/data-dir.js';
import { registryConfigFromEnv, type RegistryConfig } from '../config/registry-config.js';
import { servingStateConfigFromEnv, type ServingStateConfig } from '../config/serving-state-config.js';
import { TASK_QUEUE_ENV, TaskQueueConfigSchema } from '../config/task-queue-config.js';

/** Environment variables of the workers (documented next to the connection ones). */
export const WORKER_ENV = {
  dataDir: DATA_DIR_ENV,
  ...TASK_QUEUE_ENV,
  maxWorkflowTasks: 'CT_MAX_CONCURRENT_WORKFLOW_TASKS',
  maxOrchestrationActivities: 'CT_MAX_CONCURRENT_ACTIVITIES',
  maxCachedWorkflows: 'CT_MAX_CACHED_WORKFLOWS',
  maxCachedCycles: 'CT_MAX_CACHED_CYCLES',
  workflowThreads: 'CT_WORKFLOW_THREADS',
  maxTrainingActivities: 'CT_MAX_CONCURRENT_TRAININGS',
  shutdownGraceMs: 'CT_SHUTDOWN_GRACE_MS',
} as const;

const positiveInt = z.coerce.number().int().positive();

/** The queues (shared with `flywheel start`, see task-queue-config.ts) plus the workers' own settings. */
export const WorkerConfigSchema = TaskQueueConfigSchema.extend({
  /** Root of registry/, snapshots/, serving.db and train/ (work dirs of training runs). */
  dataDir: z.string().min(1).default('.data'),
  maxWorkflowTasks: positiveInt.default(40),
  maxOrchestrationActivities: positiveInt.default(50),
  /**
   * Sticky cache size. Each cached workflow holds its own instance of every workflow module
   * (≈ 1.1–1.7 MiB measured, README "Performance"): 400 keeps a worker near 1 GiB.
   */
  maxCachedWorkflows: positiveInt.default(400),
  /** Sticky cache of the cycle worker (cycles and rollouts), when cycles have their own queue. */
  maxCachedCycles: positiveInt.default(300),
  /** Threads that run workflow code (each with its own reusable V8 context). */
  workflowThreads: positiveInt.default(1),
  /** Trainings run one at a time per training worker by default: start more workers to scale. */
  maxTrainingActivities: positiveInt.default(1),
  /** How long running activities get to finish on SIGINT/SIGTERM before they are cancelled. */
  shutdownGraceMs: positiveInt.default(30_000),
}).strict();

export type WorkerConfig = z.infer<typeof WorkerConfigSchema> & {
  connection: ConnectionConfig;
  /** The model registry the activities (and `flywheel up`'s gateway) use: CT_REGISTRY, CT_MLFLOW_TRACKING_URI. */
  registry: RegistryConfig;
  /** Where routing, the prediction log and alert claims live: CT_SERVING_STATE, CT_SERVING_STATE_URL. */
  servingState: ServingStateConfig;
};

/** What running workers needs from a config: the queues, the tuning and the namespace (not the data dir or address). */
export type WorkerRunConfig = Omit<WorkerConfig, 'dataDir' | 'connection' | 'registry' | 'servingState'> & {
  connection: Pick<ConnectionConfig, 'namespace'>;
};

/**
 * A run config built in code instead of read from the environment (tests, the demo, the
 * bench): the defaults of the standalone workers, with the given queues and tuning.
 */
export function workerRunConfig(
  namespace: string,
  settings: Omit<z.input<typeof WorkerConfigSchema>, 'dataDir'> = {},
): WorkerRunConfig {
  const { dataDir: _dataDir, ...parsed } = WorkerConfigSchema.parse(settings);
  return { ...parsed, connection: { namespace } };
}

/** Reads the worker config from the environment (the edge), naming each bad variable. */
export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const raw = Object.fromEntries(
    Object.entries(WORKER_ENV)
      .map(([key, name]) => [key, env[name] || undefined])
      .filter(([, v]) => v !== undefined),
  );
  const parsed = WorkerConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid worker config:\n${describeIssues(parsed.error, WORKER_ENV)}`);
  return {
    ...parsed.data,
    dataDir: resolve(parsed.data.dataDir),
    connection: connectionConfigFromEnv(env),
    registry: registryConfigFromEnv(env),
    servingState: servingStateConfigFromEnv(env),
  };
}
