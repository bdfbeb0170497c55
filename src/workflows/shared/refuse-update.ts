import { ApplicationFailure } from '@temporalio/workflow';
import { FailureType } from '../../domain/failure-types.js';
import type { UpdateRefusal, UpdateRefusalDetails } from '../../domain/update-refusal.js';

/**
 * The error every update validator throws. An `ApplicationFailure` rather than a plain
 * `Error`: the SDK would turn an `Error` into a failure typed by its class name ("Error"),
 * so the caller could not tell a refusal from a crash; this one has a searchable type
 * (`UpdateRefused`), is non-retryable (sending the same payload again cannot help) and
 * carries the reason code and field as details, so clients need not parse the sentence.
 */
export function refuseUpdate(refusal: UpdateRefusal): ApplicationFailure {
  const details: UpdateRefusalDetails = {
    code: refusal.code,
    ...(refusal.field !== undefined ? { field: refusal.field } : {}),
  };
  return ApplicationFailure.create({
    type: FailureType.UpdateRefused,
    message: refusal.message,
    nonRetryable: true,
    details: [details],
  });
}
