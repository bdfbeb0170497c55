import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { FailureType } from '../../domain/failure-types.js';
import { TaskQueue } from '../../domain/task-queues.js';
import type { CycleActivities } from '../activity-types.js';
import { dataActivity, evaluationActivity, quickActivity, trainingActivity } from '../shared/activity-options.js';
import { cycleActivitySummaries } from '../shared/activity-summaries.js';
import { describedActivities } from '../shared/described-activities.js';

/** Activity proxies of a training cycle, one per option set (so retry policies stay explicit); every call reads as a sentence in the UI. */
export const quick = describedActivities<CycleActivities>(quickActivity, cycleActivitySummaries);
export const data = describedActivities<CycleActivities>(dataActivity, cycleActivitySummaries);
export const evaluation = describedActivities<CycleActivities>(evaluationActivity, cycleActivitySummaries);
/** Training runs on the ct-training queue (or the one given), served by low-concurrency training workers. */
export const trainingOn = (taskQueue: string = TaskQueue.training) =>
  describedActivities<CycleActivities>({ ...trainingActivity, taskQueue }, cycleActivitySummaries);

/** The ApplicationFailure behind an activity failure, if it has the given type. */
export function applicationFailure(err: unknown, type: FailureType): ApplicationFailure | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.type === type ? cause : undefined;
}

export { failureMessage } from '../shared/failure-message.js';
