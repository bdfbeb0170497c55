import { createHash } from 'node:crypto';
import type { AlertKind, FlywheelAlert } from './alert-schemas.js';
import type { AlertmanagerAlert, AlertmanagerPayload } from './alertmanager-schema.js';

/** Stable id of an alert's label set, for senders that do not send `fingerprint`. */
function labelFingerprint(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

function scoreOf(alert: AlertmanagerAlert): number | undefined {
  const raw = alert.annotations.score ?? alert.labels.score;
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) return undefined;
  // Drift scores such as PSI can exceed 1; the flywheel's drift floor is on a 0..1 scale,
  // where anything at or above 1 already means severe drift.
  return (alert.labels.kind ?? 'drift') === 'drift' ? Math.min(1, Math.max(0, n)) : n;
}

/**
 * Turns the firing alerts of a (validated) Alertmanager notification into flywheel
 * alerts. Resolved alerts are dropped: a recovered metric is not a reason to retrain.
 * `labels.kind` picks the signal (default drift); `annotations.summary` (or
 * `description`) becomes the reason a person reads in the flywheel status.
 */
export function alertsFromAlertmanager(payload: AlertmanagerPayload, receivedAtMs: number): FlywheelAlert[] {
  return payload.alerts
    .filter((alert) => alert.status === 'firing')
    .map((alert) => {
      const alertname = alert.labels.alertname ?? 'unnamed';
      const reason = alert.annotations.summary ?? alert.annotations.description;
      const score = scoreOf(alert);
      return {
        modelId: alert.labels.model as string, // presence checked by the schema
        kind: (alert.labels.kind ?? 'drift') as AlertKind,
        ...(alert.labels.severity ? { severity: alert.labels.severity } : {}),
        ...(score !== undefined ? { score } : {}),
        ...(reason ? { reason } : {}),
        source: `alertmanager:${alertname}`,
        fingerprint: alert.fingerprint ?? labelFingerprint(alert.labels),
        receivedAtMs,
      };
    });
}
