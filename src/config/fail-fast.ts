import { ActionableError } from './actionable-error.js';

/**
 * Runs an entrypoint's main function. An {@link ActionableError} (ConfigError,
 * ProvisionError, …) prints its message alone and exits 1, because its message is the
 * fix; any other error is unexpected and prints with its stack.
 */
export function runMain(main: () => Promise<void> | void): void {
  Promise.resolve()
    .then(main)
    .catch((err: unknown) => {
      process.exitCode = 1;
      if (err instanceof ActionableError) {
        process.stderr.write(`\n${err.name}: ${err.message}\n`);
      } else {
        process.stderr.write(`\nUnexpected error (a bug, please report it):\n${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      }
    });
}
