import type { MonitorFinding } from './monitor-finding.js';

/**
 * FNV-1a (32 bit) of a string: a stable, dependency-free hash for placing models on shards
 * and spreading check times. Not cryptographic; only needs to be the same everywhere.
 */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The fleet monitor shard that watches a model: `hash(modelId) % shards`. */
export function shardOf(modelId: string, shards: number): number {
  return stableHash(modelId) % shards;
}

/**
 * Check times of a model are the boundaries `k·interval + offset` (epoch ms). Every model
 * of a shard with the same interval shares them, so one sweep checks them all; the offset
 * comes from the shard, so shards do not all wake on the same millisecond.
 */
export function checkOffsetMs(shardKey: string, intervalMs: number): number {
  return stableHash(shardKey) % Math.max(1, Math.floor(intervalMs));
}

/** The first check boundary strictly after `afterMs`. */
export function nextCheckAfter(intervalMs: number, offsetMs: number, afterMs: number): number {
  return (Math.floor((afterMs - offsetMs) / intervalMs) + 1) * intervalMs + offsetMs;
}

/** Whether a check boundary of this interval falls in `(fromMs, toMs]`: the model is due in a sweep covering that span. */
export function dueBetween(intervalMs: number, offsetMs: number, fromMs: number, toMs: number): boolean {
  return nextCheckAfter(intervalMs, offsetMs, fromMs) <= toMs;
}

/**
 * Whether a sweep over `(fromMs, toMs]` checks a model: one of its check boundaries falls in
 * the span, or a check was asked for (a `checkNow`, a new registration) by `toMs`. The shard
 * workflow and the sweep activity both decide with this, so they agree on what was checked.
 */
export function isDue(
  intervalMs: number,
  requestedAtMs: number | undefined,
  shardKey: string,
  fromMs: number,
  toMs: number,
): boolean {
  if (requestedAtMs !== undefined && requestedAtMs <= toMs) return true;
  return dueBetween(intervalMs, checkOffsetMs(shardKey, intervalMs), fromMs, toMs);
}

/**
 * What a finding says, without its figures: the champion, both verdicts, and any signal.
 * The shard keeps a model's latest finding whenever this changes (or a signal went out),
 * so a healthy model's repeated "still stable" checks cost no history.
 */
export function verdictKey(finding: MonitorFinding): string {
  return [
    finding.championVersion ?? '-',
    finding.drift?.status ?? '-',
    finding.performance?.status ?? '-',
    finding.signals.map((s) => s.signal).join('+'),
    // Only findings with an estimate add its verdict, so the keys of models without one stay as they were.
    ...(finding.performance?.estimated ? [`estimated:${finding.performance.estimated.status}`] : []),
  ].join('|');
}
