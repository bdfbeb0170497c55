import type { PendingActivity } from '../../clients/flywheel-client.js';
import type { InFlightDetail } from '../in-flight-detail.js';
import { formatMs, isoTime, truncate } from './output.js';
import { finite, shown } from './safe-text.js';

const pct = (x: unknown) => `${Number(((finite(x) ?? Number.NaN) * 100).toFixed(2))}%`;

/** "in 12m30s" or "12s ago". */
function fromNow(at: unknown, now: number): string {
  const t = finite(at);
  if (t === undefined) return '?';
  return t >= now ? `in ${formatMs(t - now)}` : `${formatMs(now - t)} ago`;
}

function activityLine(a: PendingActivity, now: number): string {
  const limit = a.maximumAttempts > 0 ? ` of ${a.maximumAttempts}` : '';
  const next = a.nextAttemptAt !== undefined ? `; next attempt ${fromNow(a.nextAttemptAt, now)}` : '';
  return `${a.activity} attempt ${shown(a.attempt)}${limit}, last error: ${truncate(a.lastFailure ?? '(none)', 160)}${next}`;
}

/**
 * The `status` lines about the cycle in flight's live work: the rollout's weight, bake
 * time left and extensions with their reasons; any activity that has failed at least once
 * with its attempt count and last error. Each line is `[label, value]`.
 */
export function inFlightFields(d: InFlightDetail, now: number): Array<readonly [string, string]> {
  const fields: Array<readonly [string, string]> = [];
  const bake = d.rollout?.bake;
  if (d.rollout) {
    const r = d.rollout;
    let what = `phase ${shown(r.phase)}`;
    if (bake) {
      const share = bake.kind === 'shadow' ? 'mirrored traffic only (shadow)' : `${pct(bake.weight)} of live traffic`;
      const ends = r.paused
        ? 'paused: waiting for flywheel rollout promote or abort'
        : `bake ends ${fromNow(bake.endsAt, now)} (${isoTime(bake.endsAt)})`;
      what = `${shown(bake.phase)}: candidate takes ${share}, ${ends}`;
    }
    fields.push(['rollout', what]);
    if (bake) {
      const extensions = (Array.isArray(r.steps) ? r.steps : []).filter(
        (s) => s.action === 'extend' && s.phase === bake.phase,
      );
      fields.push([
        'extensions',
        extensions.length === 0
          ? `none of ${shown(bake.maxExtensions)} allowed`
          : `${extensions.length} of ${shown(bake.maxExtensions)}; last: ${truncate(extensions.at(-1)?.reason, 200)}`,
      ]);
    }
    fields.push(['steer it', 'flywheel rollout promote|abort <model>']);
  }
  for (const a of d.pendingActivities.filter((p) => p.attempt > 1 || p.lastFailure !== undefined))
    fields.push(['failing', activityLine(a, now)]);
  return fields;
}
