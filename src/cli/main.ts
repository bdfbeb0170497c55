/**
 * Entry point of the `flywheel` command (bin/flywheel.js loads this through tsx).
 * Results go to stdout, progress and errors to stderr; an error is one line and a
 * non-zero exit code, with a stack trace only for bugs (or FLYWHEEL_DEBUG=1).
 */
import { ActionableError } from '../config/actionable-error.js';
import { CliError } from './cli-errors.js';
import { createProgram } from './program.js';

function report(err: unknown): number {
  if (process.env.FLYWHEEL_DEBUG) process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  if (err instanceof CliError) {
    process.stderr.write(`flywheel: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof ActionableError) {
    process.stderr.write(`flywheel: ${err.message}\n`);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`flywheel: unexpected error: ${message}\n(rerun with FLYWHEEL_DEBUG=1 for the stack trace and please report it)\n`);
  return 1;
}

/** Runs the CLI on `argv` (process.argv shape) and resolves to the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...argv]);
    return 0;
  } catch (err) {
    return report(err);
  }
}

process.exitCode = await runCli(process.argv);
