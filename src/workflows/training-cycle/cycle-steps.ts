import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import { TaskQueue } from '../../domain/task-queues.js';
import type { CycleActivities } from '../activity-types.js';
import { dataActivity, evaluationActivity, quickActivity, trainingActivity } from '../shared/activity-options.js';

/** Activity proxies of a training cycle, one per option set (so retry policies stay explicit). */
export const quick = proxyActivities<CycleActivities>(quickActivity);
export const data = proxyActivities<CycleActivities>(dataActivity);
export const evaluation = proxyActivities<CycleActivities>(evaluationActivity);
/** Training runs on the ct-training queue (or the one given), served by low-concurrency training workers. */
export const trainingOn = (taskQueue: string = TaskQueue.training) => proxyActivities<CycleActivities>({ ...trainingActivity, taskQueue });

/** The ApplicationFailure behind an activity failure, if it has the given type. */
export function applicationFailure(err: unknown, type: string): ApplicationFailure | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.type === type ? cause : undefined;
}

/** A readable one-liner for any failure, digging to the root cause. */
export function failureMessage(err: unknown): string {
  let e: unknown = err;
  const parts: string[] = [];
  while (e instanceof Error) {
    if (e.message) parts.push(e.message);
    e = (e as Error & { cause?: unknown }).cause;
  }
  return parts.slice(-2).join(': ') || String(err);
}
