/** What a {@link waitFor} call waits for, and for how long. */
export interface WaitOptions {
  /** Names the condition in the timeout error ("the approval step", "the grandchild to exit"). */
  describe: string;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Waits on the condition itself rather than a guessed sleep: polls `condition` until it
 * returns something other than undefined/false and resolves to that value. A throw counts
 * as "not yet" (e.g. the workflow does not exist yet) and is quoted if time runs out.
 * Real time: on the time-skipping server, move workflow time with `env.sleep()` instead.
 */
export async function waitFor<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  opts: WaitOptions,
): Promise<T> {
  const { describe, timeoutMs = 60_000, intervalMs = 50 } = opts;
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await condition();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= end) break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${describe}${lastError ? ` (last error: ${String(lastError)})` : ''}`,
  );
}
