import { log } from '@temporalio/workflow';
import type { z } from 'zod';
import type { SignalMessage } from '../../contracts/message.js';
import { describePayloadError } from '../../domain/signals.js';

/**
 * Parses a signal payload. Signals cannot answer, so a bad one is logged, handed to
 * `onReject` (which counts it for `status`) and dropped: it never throws, never fails or
 * wedges the workflow.
 */
export function parsePayload<S extends z.ZodTypeAny>(
  schema: S,
  raw: unknown,
  signal: string,
  onReject: (signal: string, error: string) => void,
): z.output<S> | undefined {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data as z.output<S>;
  const error = describePayloadError(parsed.error);
  log.warn('dropped a malformed signal payload', { signal, error });
  onReject(signal, error);
  return undefined;
}

/** {@link parsePayload} with the message's own schema and name. */
export function parseSignal<S extends z.ZodTypeAny>(
  message: SignalMessage<string, S>,
  raw: unknown,
  onReject: (signal: string, error: string) => void,
): z.output<S> | undefined {
  return parsePayload(message.schema, raw, message.name, onReject);
}
