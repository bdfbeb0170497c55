/**
 * What the CLI views are built from. A status or history comes from a running workflow (of
 * any version, possibly fed odd input) or a registry file, so a view never trusts its shape:
 * each part is rendered on its own, and a part that cannot be rendered says so while the
 * rest still prints.
 */

/** Shown for a field that is absent. */
export const MISSING = '?';

/** Renders one part of a view; if it throws (or yields no text), says which part and why instead. */
export function safely(render: () => string): string {
  try {
    const text = render();
    return typeof text === 'string' ? text : `(cannot show: got ${describe(text)})`;
  } catch (err) {
    return `(cannot show: ${err instanceof Error ? err.message : String(err)})`;
  }
}

/** Any value as display text: strings as they are, finite numbers and booleans printed, absent as "?", the rest as JSON. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : MISSING;
  if (typeof value === 'boolean') return String(value);
  if (value === undefined || value === null) return MISSING;
  try {
    return JSON.stringify(value) ?? MISSING;
  } catch {
    return describe(value);
  }
}

/** A finite number, or undefined. */
export function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
