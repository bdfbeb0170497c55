/**
 * What counts as a refusal that says what is wrong: a message that names a field or a
 * reason, not an empty or one-word "invalid".
 */
const GENERIC =
  /^(error|invalid|invalid (input|payload|request|body|argument)s?|bad request|internal server error|validation (error|failed)|failed|unknown error|null|undefined|\[object object\])[.!]?$/i;

/** True when `message` is specific enough for a sender to fix the input. */
export function saysWhatIsWrong(message: unknown): boolean {
  if (typeof message !== 'string') return false;
  const m = message.trim();
  return m.length >= 12 && !GENERIC.test(m) && /[a-z]{3,}/i.test(m);
}

/**
 * Why an HTTP 4xx answer does not say what is wrong, or undefined when it does: a JSON body
 * with an `error` code and either a specific `message`, a `field`, or `issues` that each
 * name a path and a message.
 */
export function httpRefusalProblem(status: number, text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${status} with a body that is not JSON: ${text.slice(0, 120)}`;
  }
  if (typeof body !== 'object' || body === null) return `${status} with body ${text.slice(0, 120)}`;
  const b = body as { error?: unknown; message?: unknown; field?: unknown; issues?: unknown };
  if (typeof b.error !== 'string' || b.error === '') return `${status} without an error code: ${text.slice(0, 200)}`;
  if (saysWhatIsWrong(b.message) || (typeof b.field === 'string' && b.field !== '')) return undefined;
  if (
    Array.isArray(b.issues) &&
    b.issues.length > 0 &&
    b.issues.every(
      (i: { path?: unknown; message?: unknown }) =>
        typeof i?.path === 'string' && typeof i.message === 'string' && i.message !== '',
    )
  )
    return undefined;
  return `${status} ${b.error} does not say what is wrong: ${text.slice(0, 200)}`;
}
