import type { ActivityOptions } from '@temporalio/workflow';
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
