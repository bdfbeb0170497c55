import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import { expect } from 'vitest';
import { FailureType } from '../../../src/domain/failure-types.js';
import type { RefusalCode, UpdateRefusalDetails } from '../../../src/domain/update-refusal.js';

/**
 * Awaits an update that its validator must refuse, and checks the refusal the way a client
 * reads it: a `WorkflowUpdateFailedError` whose cause is a non-retryable `UpdateRefused`
 * failure carrying the reason `code` and the `field` (when given). Returns that failure, so
 * the one test that checks a message's wording can read `message`.
 */
export async function expectUpdateRefused(
  update: Promise<unknown>,
  expected: { code?: RefusalCode; field?: string } = {},
): Promise<ApplicationFailure> {
  const err = await update.then(
    (answer: unknown) => {
      throw new Error(`expected the update to be refused, but it was accepted: ${JSON.stringify(answer)}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  const failure = cause as ApplicationFailure;
  expect(failure).toMatchObject({ type: FailureType.UpdateRefused, nonRetryable: true });
  const details = failure.details?.[0] as UpdateRefusalDetails | undefined;
  if (expected.code !== undefined) expect(details?.code, failure.message).toBe(expected.code);
  if (expected.field !== undefined) expect(details?.field, failure.message).toBe(expected.field);
  return failure;
}
