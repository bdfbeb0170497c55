/** A readable one-liner for any failure, digging to the root cause (an ActivityFailure's own message says only "Activity task failed"). */
export function failureMessage(err: unknown): string {
  let e: unknown = err;
  const parts: string[] = [];
  while (e instanceof Error) {
    if (e.message) parts.push(e.message);
    e = (e as Error & { cause?: unknown }).cause;
  }
  return parts.slice(-2).join(': ') || String(err);
}
