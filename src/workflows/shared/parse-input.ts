import { ApplicationFailure, log } from '@temporalio/workflow';
import type { z } from 'zod';
import { FailureType } from '../../domain/failure-types.js';
import { describePayloadError } from '../../domain/signals.js';

/**
 * Parses a workflow's start input at its first line. Anyone can start a workflow by type
 * name with any JSON; a bad input ends that workflow with a non-retryable failure naming
 * each bad field, instead of a TypeError deep inside that fails workflow tasks forever.
 */
export function parseStartInput<S extends z.ZodTypeAny>(schema: S, raw: unknown, workflow: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data as z.output<S>;
  const error = describePayloadError(parsed.error);
  log.error('refused a workflow start input', { workflow, error });
  throw ApplicationFailure.create({
    type: FailureType.InvalidWorkflowInput,
    nonRetryable: true,
    message: `${workflow}: invalid start input: ${error}`,
  });
}
