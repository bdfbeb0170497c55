import { z } from 'zod';

/** Milliseconds per unit accepted by {@link parseDuration}. */
const UNIT_MS = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

type DurationUnit = keyof typeof UNIT_MS;

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;

export class DurationError extends Error {
  override name = 'DurationError';
}

/**
 * Parses a human duration into milliseconds: `"30m"`, `"1h30m"`, `"72h"`, `"500ms"`, `"2d"`.
 * A number is taken as milliseconds already. Throws {@link DurationError} naming the input.
 */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0)
      throw new DurationError(`duration must be a non-negative number of ms, got ${input}`);
    return Math.round(input);
  }
  const text = input.trim().toLowerCase();
  if (/^\d+$/.test(text)) return Number(text);
  if (!WHOLE.test(text)) {
    throw new DurationError(
      `"${input}" is not a duration: use a number of ms or units like "30s", "15m", "1h30m", "2d"`,
    );
  }
  let total = 0;
  for (const match of text.matchAll(PART)) {
    total += Number(match[1]) * UNIT_MS[match[2] as DurationUnit];
  }
  return Math.round(total);
}

/** Formats milliseconds compactly for reasons and logs: 5400000 → "1h30m". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const units: [DurationUnit, number][] = [
    ['d', UNIT_MS.d],
    ['h', UNIT_MS.h],
    ['m', UNIT_MS.m],
    ['s', UNIT_MS.s],
  ];
  let rest = Math.round(ms / 1000) * 1000;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out || '0s';
}

/** A duration field: milliseconds or a string like "30m"; parses to milliseconds. */
export const DurationSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  try {
    return parseDuration(value);
  } catch (error) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    return z.NEVER;
  }
});
