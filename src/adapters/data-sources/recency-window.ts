import type { RecencyWindow } from '../../domain/model-spec/data-source-config.js';

/**
 * Which positions (window indices, or times in ms) a recency window keeps, given the newest
 * position `latest`, the length of one window in position units (1 for window indices, the
 * window's ms for a time column) and the detected change `since`, when the snapshot request
 * names one. Shared by the data sources and the backtest, so a backtest trains on exactly
 * the rows a snapshot would. Without a recency window every position is kept (today's
 * behaviour); a `since` after `latest` still keeps the newest window, never nothing.
 */
export function recencyKeeps(
  latest: number,
  unit: number,
  recency: RecencyWindow | undefined,
  since?: number,
): (position: number) => boolean {
  if (!recency) return () => true;
  const after = recency.lastWindows === undefined ? Number.NEGATIVE_INFINITY : latest - recency.lastWindows * unit;
  const from = recency.sinceChange && since !== undefined ? Math.min(since, latest) : Number.NEGATIVE_INFINITY;
  return (position) => position > after && position >= from;
}
