import { z } from 'zod';
import { TaskQueue } from '../domain/task-queues.js';
import { ConfigError, describeIssues } from './connection-config.js';

/**
 * The environment variables naming the task queues. Workers poll what they say and
 * `flywheel start` hands the same names to the flywheel (its workflow task queue, the queue
 * its cycles run on and the queue its cycles schedule training on), so one setting moves
 * both sides together.
 */
export const TASK_QUEUE_ENV = {
  orchestrationTaskQueue: 'CT_ORCHESTRATION_TASK_QUEUE',
  cycleTaskQueue: 'CT_CYCLE_TASK_QUEUE',
  trainingTaskQueue: 'CT_TRAINING_TASK_QUEUE',
} as const;

export const TaskQueueConfigSchema = z
  .object({
    orchestrationTaskQueue: z.string().min(1).max(200).default(TaskQueue.orchestration),
    /** Unset: cycles run on the flywheels' queue (one worker for both, as `flywheel up` runs them). */
    cycleTaskQueue: z.string().min(1).max(200).optional(),
    trainingTaskQueue: z.string().min(1).max(200).default(TaskQueue.training),
  })
  .strict();

export type TaskQueueConfig = z.infer<typeof TaskQueueConfigSchema>;

/** Reads the task queue names from the environment (the edge), naming a bad variable. */
export function taskQueueConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TaskQueueConfig {
  const raw = Object.fromEntries(
    Object.entries(TASK_QUEUE_ENV).flatMap(([key, name]) => (env[name] ? [[key, env[name]]] : [])),
  );
  const parsed = TaskQueueConfigSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(`Invalid task queue config:\n${describeIssues(parsed.error, TASK_QUEUE_ENV)}`);
  return parsed.data;
}

/** Whether cycles run on a queue of their own (else on the flywheels' queue, one worker for both). */
export const cyclesApart = (
  q: Pick<TaskQueueConfig, 'orchestrationTaskQueue' | 'cycleTaskQueue'>,
): q is TaskQueueConfig & { cycleTaskQueue: string } =>
  q.cycleTaskQueue !== undefined && q.cycleTaskQueue !== q.orchestrationTaskQueue;

/**
 * The flywheel options that place its cycles and their training where the workers of `q`
 * poll: what every caller that starts a flywheel passes (`flywheel start`, the webhook,
 * schedules, the bench).
 */
export function flywheelQueueOptions(q: TaskQueueConfig): {
  trainingTaskQueue: string;
  cycleTaskQueue?: string;
} {
  return { trainingTaskQueue: q.trainingTaskQueue, ...(cyclesApart(q) ? { cycleTaskQueue: q.cycleTaskQueue } : {}) };
}
