import type { z } from 'zod';
import type { SignalMessage } from '../contracts/message.js';

export interface PayloadIssue {
  /** Dotted path of the field, or `(payload)` for the payload as a whole. */
  field: string;
  message: string;
}

/**
 * A signal payload the receiving workflow would drop. Signals cannot answer, so the client
 * parses with the message's own schema first and refuses here, naming the field, before
 * anything is sent or started.
 */
export class FlywheelMessageRefused extends Error {
  override name = 'FlywheelMessageRefused';

  constructor(
    /** The message's name, e.g. `retrainRequested`. */
    readonly messageName: string,
    readonly issues: readonly PayloadIssue[],
  ) {
    super(`${messageName} refused: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`);
  }

  /** The first field named (what a caller usually reports). */
  get field(): string {
    return this.issues[0]?.field ?? '(payload)';
  }
}

/** The issues of a failed parse, with the field paths as `describePayloadError` writes them. */
export function payloadIssues(error: z.ZodError): PayloadIssue[] {
  return error.issues.map((i) => ({ field: i.path.join('.') || '(payload)', message: i.message }));
}

/** Parses a signal payload with its message's schema; throws {@link FlywheelMessageRefused} when the workflow would drop it. */
export function parseSignalPayload<S extends z.ZodTypeAny>(
  message: SignalMessage<string, S>,
  payload: unknown,
): z.output<S> {
  const parsed = message.schema.safeParse(payload);
  if (!parsed.success) throw new FlywheelMessageRefused(message.name, payloadIssues(parsed.error));
  return parsed.data as z.output<S>;
}
