import { ActivityFailure, ApplicationFailure, patched } from '@temporalio/workflow';
import type { FailureType } from '../../domain/failure-types.js';
import { TaskQueue } from '../../domain/task-queues.js';
import type { CycleActivities } from '../activity-types.js';
import {
  dataActivity,
  evaluationActivity,
  lightActivity,
  quickActivity,
  trainingActivity,
} from '../shared/activity-options.js';
import { cycleActivitySummaries } from '../shared/activity-summaries.js';
import { describedActivities, describedLocalActivities } from '../shared/described-activities.js';

/** Activity proxies of a training cycle, one per option set (so retry policies stay explicit); every call reads as a sentence in the UI. */
export const quick = describedActivities<CycleActivities>(quickActivity, cycleActivitySummaries);
const local = describedLocalActivities<CycleActivities>(lightActivity, cycleActivitySummaries);
export const data = describedActivities<CycleActivities>(dataActivity, cycleActivitySummaries);
export const evaluation = describedActivities<CycleActivities>(evaluationActivity, cycleActivitySummaries);
/** Training runs on the ct-training queue (or the one given), served by low-concurrency training workers. */
export const trainingOn = (taskQueue: string = TaskQueue.training) =>
  describedActivities<CycleActivities>({ ...trainingActivity, taskQueue }, cycleActivitySummaries);

/**
 * Marks cycles whose light steps (the champion read, registration, approval and version
 * records, the rollout outcome) are local activities and which report to the flywheel once,
 * when they end, instead of at every step. Histories recorded before it replay with
 * regular activities and a progress signal per step.
 */
export const LIGHT_CYCLE_PATCH = 'cycle-local-light-steps-one-report';

/**
 * The proxy of the cycle's light steps: local activities ({@link lightActivity}) in cycles
 * started with {@link LIGHT_CYCLE_PATCH}, the regular `quick` ones when replaying older ones.
 */
export const light = (): typeof quick | typeof local => (patched(LIGHT_CYCLE_PATCH) ? local : quick);

/** The ApplicationFailure behind an activity failure, if it has the given type. */
export function applicationFailure(err: unknown, type: FailureType): ApplicationFailure | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure && cause.type === type ? cause : undefined;
}

export { failureMessage } from '../shared/failure-message.js';
