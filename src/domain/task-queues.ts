/**
 * The task queues. Flywheels (and the monitors and schedules that signal them) run on
 * `orchestration`; cycles and their rollouts, with their light activities, on the same queue
 * or, when `CT_CYCLE_TASK_QUEUE` says so (`cycles` is the suggested name), on their own;
 * training (CPU/GPU heavy, low concurrency) on `training`, so it can move to other machines
 * by starting more training workers. Cycles have a queue of their own so that a flywheel's
 * decision to start one never waits in line behind thousands of running cycles' tasks.
 * The one place these names are written.
 */
export const TaskQueue = {
  orchestration: 'ct-orchestration',
  cycles: 'ct-cycles',
  training: 'ct-training',
} as const;
export type TaskQueue = (typeof TaskQueue)[keyof typeof TaskQueue];

/** Alias used by the alert webhook and CLI. */
export const TASK_QUEUES = TaskQueue;
