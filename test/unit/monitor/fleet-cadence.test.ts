import { describe, expect, it } from 'vitest';
import {
  checkOffsetMs,
  dueBetween,
  isDue,
  nextCheckAfter,
  shardOf,
  verdictKey,
  type MonitorFinding,
} from '../../../src/domain/monitor/index.js';

const MIN5 = 300_000;

describe('fleet monitor cadence', () => {
  it('places a model on the same shard every time, and spreads many models over all shards', () => {
    expect(shardOf('fraud-sea', 4)).toBe(shardOf('fraud-sea', 4));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4_000; i++) counts[shardOf(`model-${i}`, 4)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });

  it('checks a model once per interval: exactly one boundary in every interval-long span', () => {
    const offset = checkOffsetMs('monitor-fleet:q:0-of-4', MIN5);
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(offset).toBeLessThan(MIN5);
    const start = 1_800_000_000_000;
    let checks = 0;
    // One sweep per minute over a day: a 5-min model is due 288 times, never twice in one sweep.
    for (let t = start; t < start + 86_400_000; t += 60_000) if (dueBetween(MIN5, offset, t, t + 60_000)) checks++;
    expect(checks).toBe(288);
    expect(nextCheckAfter(MIN5, offset, start) - start).toBeLessThanOrEqual(MIN5);
    expect(nextCheckAfter(MIN5, offset, start)).toBeGreaterThan(start);
  });

  it('is due at once when a check was asked for by the end of the sweep, not for one asked later', () => {
    const from = 1_800_000_000_000;
    const quiet = (to: number) => isDue(MIN5, undefined, 'shard', from, to);
    // A span shorter than the interval that holds no boundary:
    const boundary = nextCheckAfter(MIN5, checkOffsetMs('shard', MIN5), from);
    expect(quiet(boundary - 1)).toBe(false);
    expect(quiet(boundary)).toBe(true);
    expect(isDue(MIN5, from + 10, 'shard', from, from + 20)).toBe(true);
    expect(isDue(MIN5, from + 30, 'shard', from, Math.min(from + 20, boundary - 1))).toBe(false);
  });

  it('keys a finding by what it says, not by its figures', () => {
    const finding = (drift: string, score: number, signals: MonitorFinding['signals'] = []) =>
      ({
        atMs: 1,
        modelId: 'm',
        championVersion: 3,
        championSinceMs: 0,
        drift: { status: drift, score, summary: `score ${score}` },
        performance: { status: 'ok' },
        signals,
        summary: `drift score ${score}`,
      }) as unknown as MonitorFinding;
    expect(verdictKey(finding('stable', 0.1))).toBe(verdictKey(finding('stable', 0.2)));
    expect(verdictKey(finding('stable', 0.1))).not.toBe(verdictKey(finding('drifted', 0.6)));
    const alert = [{ signal: 'driftAlert', payload: {} }] as unknown as MonitorFinding['signals'];
    expect(verdictKey(finding('drifted', 0.6, alert))).not.toBe(verdictKey(finding('drifted', 0.6)));
  });
});
