import type { ActivityOptions, LocalActivityOptions } from '@temporalio/workflow';
import { NON_RETRYABLE_FAILURE_TYPES } from '../../domain/failure-types.js';

/**
 * Named activity options: every retry policy is written here, on purpose. The failure
 * types no retry can fix (bad data, bad spec, a tampered artifact) come from the one
 * vocabulary, domain/failure-types.ts: activities already mark them non-retryable, and
 * listing them here too keeps a failure that lost its flag (rethrown, re-wrapped) from
 * being retried. Retrying cannot help, so the cycle stops with the report instead.
 */
export const PERMANENT: string[] = [...NON_RETRYABLE_FAILURE_TYPES];

/** Registry, routing and metrics reads/writes: fast, idempotent, retried briefly. */
export const quickActivity: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    maximumAttempts: 10,
    nonRetryableErrorTypes: PERMANENT,
  },
};

/**
 * Light steps that only touch the orchestration worker's own state (registry stage and
 * alias moves, approval and rollout records, routing writes, the champion read) run as
 * local activities: inside the workflow task, on the worker that runs the workflow, whose
 * result is a marker in history. Each saves a full round trip through the server (the
 * activity task, its dispatch, its completion and the workflow task that follows).
 *
 * What that means:
 * - Retries stay explicit and the same as {@link quickActivity}'s. Backoffs up to
 *   `localRetryThreshold` are waited in the worker; longer ones become a durable timer
 *   and a new workflow task, so a registry that is down for minutes still only costs
 *   timers. `scheduleToCloseTimeout` bounds all attempts (a regular activity's 10 attempts
 *   of 30 s at most, with backoff, fit in it).
 * - At-least-once, like any activity: a worker that dies after the write but before the
 *   workflow task completes runs it again on the next worker. Every one of these writes
 *   is idempotent (registerCandidate has its cycle key, version events and routing set a
 *   state), which is why they, and not the data, training or evaluation steps, qualify.
 * - They run where the workflow runs: every orchestration worker must register them and
 *   reach the registry and serving state, which it already does for the light activities.
 * - Replay reads their marker and never runs them again; switching a call between local
 *   and regular changes the commands, so each switch sits behind a `patched()` id.
 */
export const lightActivity: LocalActivityOptions = {
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '10m',
  localRetryThreshold: '10s',
  retry: quickActivity.retry,
};

/** Snapshot and validation: read a whole dataset, minutes at most. */
export const dataActivity: ActivityOptions = {
  startToCloseTimeout: '30m',
  heartbeatTimeout: '2m',
  retry: {
    initialInterval: '5s',
    backoffCoefficient: 2,
    maximumInterval: '5m',
    maximumAttempts: 5,
    nonRetryableErrorTypes: PERMANENT,
  },
};

/** Training on the ct-training queue: long, heartbeating, resumes from its checkpoint after a worker dies. */
export const trainingActivity: ActivityOptions = {
  startToCloseTimeout: '6h',
  // Short enough that a killed worker is noticed quickly and another one resumes. Heartbeats
  // are not held for 0.8 × this (the SDK default): training workers send them within 1 s
  // (src/workers/training-heartbeats.ts), so a kill loses at most one epoch.
  heartbeatTimeout: '30s',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '2m',
    maximumAttempts: 10,
    nonRetryableErrorTypes: PERMANENT,
  },
};

/** Evaluation: scores the held-out set with both models and runs the significance test. */
export const evaluationActivity: ActivityOptions = {
  startToCloseTimeout: '30m',
  heartbeatTimeout: '2m',
  retry: {
    initialInterval: '5s',
    backoffCoefficient: 2,
    maximumInterval: '2m',
    maximumAttempts: 5,
    nonRetryableErrorTypes: PERMANENT,
  },
};
