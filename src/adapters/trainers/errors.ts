/** A training command exited non-zero (or was killed by a signal). Carries the tail of its stderr. */
export class TrainerCommandError extends Error {
  override name = 'TrainerCommandError';
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderrTail: readonly string[],
  ) {
    super(message);
  }
}

/** A trainer finished but its output breaks the contract (no artifact, invalid model format, bad metrics.json). */
export class TrainerOutputError extends Error {
  override name = 'TrainerOutputError';
}

/** The trainer cannot work on this input (empty training split, wrong trainer config, regression label not numeric…). */
export class TrainerInputError extends Error {
  override name = 'TrainerInputError';
}

/** Training stopped because it was cancelled. */
export class TrainingCancelledError extends Error {
  override name = 'TrainingCancelledError';
}
