import type { MonitorStatus } from '../../contracts/production-monitor.js';
import type { ModelMonitorStatus } from '../../contracts/fleet-monitor.js';
import { isoTime, truncate } from './output.js';
import { shown } from './safe-text.js';

/** What `flywheel status` knows about the model's production monitor: its status, nothing watching, or why it could not ask. */
export type MonitorView = MonitorStatus | Partial<ModelMonitorStatus> | null | { unavailable: string };

/**
 * The `monitor` line of `flywheel status`: the latest finding (the fleet monitor keeps a
 * finding when its verdict changes or it signals), when the model was last checked, and the
 * signals sent. A healthy model's unchanged checks show as the latest check time.
 */
export function describeMonitor(m: MonitorView): string {
  if (m === null) return 'not monitored (flywheel start <spec> puts the model on the fleet monitor)';
  if ('unavailable' in m) return `unavailable: ${truncate(m.unavailable, 120)}`;
  const finding = m.lastFinding;
  const parts = [finding ? `${truncate(finding.summary, 160)} (found ${isoTime(finding.atMs)})` : 'no check yet'];
  const lastChecked = 'lastCheckedAtMs' in m ? m.lastCheckedAtMs : undefined;
  if (typeof lastChecked === 'number' && finding && lastChecked > finding.atMs)
    parts.push(`unchanged at the last check ${isoTime(lastChecked)}`);
  const sent = m.signalsSent;
  parts.push(
    `${shown(m.checks)} checks, signalled driftAlert ×${shown(sent?.driftAlert)}, performanceReport ×${shown(sent?.performanceReport)}`,
  );
  if ('shardWorkflowId' in m && m.shardWorkflowId) parts.push(`by ${m.shardWorkflowId}`);
  return parts.join('; ');
}
