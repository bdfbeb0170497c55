/**
 * The two task queues. Workflows and light activities run on `orchestration`; training
 * (CPU/GPU heavy, low concurrency) runs on `training`, so it can move to other machines
 * by starting more training workers. The one place these names are written.
 */
export const TaskQueue = {
  orchestration: 'ct-orchestration',
  training: 'ct-training',
} as const;
export type TaskQueue = (typeof TaskQueue)[keyof typeof TaskQueue];

/** Alias used by the alert webhook and CLI. */
export const TASK_QUEUES = TaskQueue;
