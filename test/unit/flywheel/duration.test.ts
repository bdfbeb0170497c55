import { describe, expect, it } from 'vitest';
import { DurationError, DurationSchema, formatDuration, parseDuration } from '../../../src/domain/duration.js';

describe('parseDuration', () => {
  it('reads units and compound durations', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('72h')).toBe(259_200_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration(' 15S ')).toBe(15_000);
    expect(parseDuration('1200')).toBe(1200);
    expect(parseDuration(250)).toBe(250);
  });
  it('refuses nonsense with a message that shows the accepted form', () => {
    expect(() => parseDuration('soon')).toThrow(DurationError);
    expect(() => parseDuration('5 minutes')).toThrow(
      /"5 minutes" is not a duration: use a number of ms or units like "30s"/,
    );
    expect(() => parseDuration(-1)).toThrow(/non-negative/);
  });
  it('schema turns strings into ms and names the field on error', () => {
    expect(DurationSchema.parse('1m')).toBe(60_000);
    const bad = DurationSchema.safeParse('x');
    expect(bad.success).toBe(false);
  });
});

describe('formatDuration', () => {
  it('prints compact units', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(999)).toBe('999ms');
    expect(formatDuration(0)).toBe('0ms');
  });
});
