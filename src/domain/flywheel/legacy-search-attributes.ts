/**
 * The retired test-only switch `searchAttributes: false` (on `trainingCycle` inputs, and as
 * `options.searchAttributes` on `modelFlywheel` inputs). It existed because the Java
 * time-skipping server had no custom search attributes; tests now register them on every
 * server (test/support/time-skipping-env.ts), so the switch is gone from the contracts.
 *
 * Recorded histories (test/replay/histories) and any run started before that still carry it
 * and recorded no search-attribute upserts, so a workflow replaying them must skip the
 * upserts too. This is the one place that reads the legacy field; nothing writes it.
 */
export const LEGACY_SEARCH_ATTRIBUTES_KEY = 'searchAttributes';

/** True when a start input (flywheel or cycle, as received) switched the search attributes off. */
export function legacySearchAttributesOff(rawInput: unknown): boolean {
  if (typeof rawInput !== 'object' || rawInput === null) return false;
  const input = rawInput as { searchAttributes?: unknown; options?: unknown };
  const options =
    typeof input.options === 'object' && input.options !== null
      ? (input.options as { searchAttributes?: unknown })
      : undefined;
  return input.searchAttributes === false || options?.searchAttributes === false;
}
