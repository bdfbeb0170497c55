import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, connectionConfigFromEnv, describeIssues, type ConnectionConfig } from '../config/connection-config.js';
import { TaskQueue } from '../domain/task-queues.js';

/** Environment variables of the workers (documented next to the connection ones). */
export const WORKER_ENV = {
  dataDir: 'CT_DATA_DIR',
  orchestrationTaskQueue: 'CT_ORCHESTRATION_TASK_QUEUE',
  trainingTaskQueue: 'CT_TRAINING_TASK_QUEUE',
  maxWorkflowTasks: 'CT_MAX_CONCURRENT_WORKFLOW_TASKS',
  maxOrchestrationActivities: 'CT_MAX_CONCURRENT_ACTIVITIES',
  maxCachedWorkflows: 'CT_MAX_CACHED_WORKFLOWS',
  maxTrainingActivities: 'CT_MAX_CONCURRENT_TRAININGS',
  shutdownGraceMs: 'CT_SHUTDOWN_GRACE_MS',
} as const;

const positiveInt = z.coerce.number().int().positive();

export const WorkerConfigSchema = z
  .object({
    /** Root of registry/, snapshots/, serving.db and train/ (work dirs of training runs). */
    dataDir: z.string().min(1).default('.data'),
    orchestrationTaskQueue: z.string().min(1).default(TaskQueue.orchestration),
    trainingTaskQueue: z.string().min(1).default(TaskQueue.training),
    maxWorkflowTasks: positiveInt.default(40),
    maxOrchestrationActivities: positiveInt.default(50),
    maxCachedWorkflows: positiveInt.default(1000),
    /** Trainings run one at a time per training worker by default: start more workers to scale. */
    maxTrainingActivities: positiveInt.default(1),
    /** How long running activities get to finish on SIGINT/SIGTERM before they are cancelled. */
    shutdownGraceMs: positiveInt.default(30_000),
  })
  .strict();

export type WorkerConfig = z.infer<typeof WorkerConfigSchema> & { connection: ConnectionConfig };

/** Reads the worker config from the environment (the edge), naming each bad variable. */
export function workerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const raw = Object.fromEntries(
    Object.entries(WORKER_ENV)
      .map(([key, name]) => [key, env[name] || undefined])
      .filter(([, v]) => v !== undefined),
  );
  const parsed = WorkerConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid worker config:\n${describeIssues(parsed.error, WORKER_ENV)}`);
  return { ...parsed.data, dataDir: resolve(parsed.data.dataDir), connection: connectionConfigFromEnv(env) };
}
