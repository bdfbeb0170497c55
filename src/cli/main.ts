/**
 * Runs the `flywheel` command (src/main.ts is the process entrypoint).
 * Results go to stdout, progress and errors to stderr; an error is one line and a
 * non-zero exit code, with a stack trace only for bugs (or FLYWHEEL_DEBUG=1).
 */
import { ActionableError } from '../config/actionable-error.js';
import { CliError } from './cli-errors.js';
import { createProgram, type ProgramDeps } from './program.js';

/** The message with its causes ("Failed to query Workflow: no poller seen …"): the SDK puts the server's reason in `cause`. */
function messageWithCauses(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && parts.length < 4; e = (e as { cause?: unknown }).cause) {
    const m = e instanceof Error ? ((e as { details?: string }).details ?? e.message) : String(e);
    if (m && !parts.includes(m)) parts.push(m);
  }
  return parts.join(': ');
}

function report(err: unknown): number {
  if (process.env.FLYWHEEL_DEBUG)
    process.stderr.write(
      `${err instanceof Error ? (err.stack ?? err.message) : String(err)}\ncause: ${messageWithCauses(err)} (code ${String((err as { cause?: { code?: unknown } }).cause?.code)})\n`,
    );
  if (err instanceof CliError) {
    process.stderr.write(`flywheel: ${err.message}\n`);
    return err.exitCode;
  }
  if (err instanceof ActionableError) {
    process.stderr.write(`flywheel: ${err.message}\n`);
    return 1;
  }
  const message = messageWithCauses(err);
  process.stderr.write(
    `flywheel: unexpected error: ${message}\n(rerun with FLYWHEEL_DEBUG=1 for the stack trace and please report it)\n`,
  );
  return 1;
}

/**
 * `flywheel status m | head -1`: the reader may go away while we still write, and Node then
 * raises EPIPE on the stream, which would crash with a stack trace. Nobody is left to read
 * the rest, so drop it quietly and let the command finish what it was asked to do (a started
 * flywheel, a recorded approval) and exit with its own code.
 */
export function ignoreClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
}

/** Runs the CLI on `argv` (process.argv shape) and resolves to the exit code. */
export async function runCli(argv: readonly string[], deps: ProgramDeps = {}): Promise<number> {
  try {
    await createProgram(deps).parseAsync([...argv]);
    return 0;
  } catch (err) {
    return report(err);
  }
}
