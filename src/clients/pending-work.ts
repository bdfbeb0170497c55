import { decodePendingActivityState, type WorkflowExecutionDescription } from '@temporalio/client';
import { optionalTsToMs } from '@temporalio/common/lib/time.js';

/**
 * An activity a workflow is waiting on, as the server describes it. A step that keeps
 * failing shows here (attempt count, last error) long before the workflow records anything:
 * retries live in the server, not in the workflow's state.
 */
export interface PendingActivity {
  /** The workflow that scheduled it. */
  workflowId: string;
  /** Activity type, e.g. `snapshotData`. */
  activity: string;
  /** SCHEDULED, STARTED, CANCEL_REQUESTED, … */
  state: string;
  /** 1 on the first try. */
  attempt: number;
  /** 0: unlimited. */
  maximumAttempts: number;
  /** The last attempt's failure message, when an attempt failed. */
  lastFailure?: string;
  lastStartedAt?: number;
  /** When the next attempt is scheduled (during a retry backoff). */
  nextAttemptAt?: number;
}

/** The pending activities of a described workflow, in plain fields. */
export function pendingActivitiesOf(description: WorkflowExecutionDescription): PendingActivity[] {
  return (description.raw.pendingActivities ?? []).map((p) => {
    const lastStartedAt = optionalTsToMs(p.lastStartedTime);
    const nextAttemptAt = optionalTsToMs(p.nextAttemptScheduleTime);
    return {
      workflowId: description.workflowId,
      activity: p.activityType?.name ?? '?',
      state: decodePendingActivityState(p.state) ?? 'UNKNOWN',
      attempt: p.attempt ?? 1,
      maximumAttempts: p.maximumAttempts ?? 0,
      ...(p.lastFailure?.message ? { lastFailure: p.lastFailure.message } : {}),
      ...(lastStartedAt !== undefined ? { lastStartedAt } : {}),
      ...(nextAttemptAt !== undefined ? { nextAttemptAt } : {}),
    };
  });
}
