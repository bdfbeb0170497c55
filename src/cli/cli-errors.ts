import { ActionableError } from '../config/actionable-error.js';

/**
 * A failure the CLI explains in one line (what happened, what to do) and exits non-zero
 * with, without a stack trace. Anything else reaching `main` is a bug.
 */
export class CliError extends ActionableError {
  override name = 'CliError';
  constructor(
    message: string,
    /** Process exit code: 1 for refusals and bad input, 2 for an unreachable server. */
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** How to get a local server, named in every "unreachable" message. */
export const START_SERVER_HINT =
  'start a local one with `npm run server` or `flywheel up`, or pass --address / set TEMPORAL_ADDRESS';

export function unreachable(address: string, cause: unknown): CliError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new CliError(`Cannot reach Temporal at ${address} (${why}): ${START_SERVER_HINT}.`, 2);
}

export function noFlywheel(modelId: string): CliError {
  return new CliError(
    `No flywheel for model "${modelId}" (workflow flywheel:${modelId} not found). Start it with: flywheel start <spec>`,
  );
}
