import { ActionableError } from './actionable-error.js';

/**
 * Runs an entrypoint's main function. An {@link ActionableError} (ConfigError,
 * ProvisionError, …) prints its message alone and exits 1, because its message is the
 * fix; any other error is unexpected and prints with its stack. It exits explicitly:
 * once the Temporal runtime or a server socket exists, they would keep a failed process
 * alive (writes to stderr are synchronous on Linux, so the message is not lost).
 */
export function runMain(main: () => Promise<void> | void): void {
  Promise.resolve()
    .then(main)
    .catch((err: unknown) => {
      process.exitCode = 1;
      if (err instanceof ActionableError) {
        process.stderr.write(`\n${err.name}: ${err.message}\n`);
      } else {
        process.stderr.write(
          `\nUnexpected error (a bug, please report it):\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
        );
      }
      process.exit(1);
    });
}
