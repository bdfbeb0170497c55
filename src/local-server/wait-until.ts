/**
 * Polls `probe` until it returns a value (not undefined) or the deadline passes.
 * `abort` is checked each round so a crashed server fails fast with its reason
 * instead of a timeout.
 */
export async function waitUntil<T>(opts: {
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  probe: () => Promise<T | undefined>;
  abort?: () => string | undefined;
}): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError = '';
  for (;;) {
    const reason = opts.abort?.();
    if (reason) throw new Error(`${opts.what}: ${reason}`);
    try {
      const value = await opts.probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${opts.what}: not ready after ${opts.timeoutMs / 1000} s${lastError ? ` (last error: ${lastError})` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 200));
  }
}
