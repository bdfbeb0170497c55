import {
  ALERT_SIGNAL,
  AlertKind,
  RESOLVED_ALERT_SIGNAL,
  type AlertSignal,
  type FlywheelAlert,
} from './alert-schemas.js';

const SEVERITIES = new Set(['info', 'warning', 'critical']);

export type FlywheelSignal =
  | { ok: true; signal: AlertSignal; payload: Record<string, unknown> }
  | { ok: false; issues: Array<{ path: string; message: string }> };

/**
 * The flywheel signal (name and payload) an alert becomes, checked against the same
 * schema the workflow applies. Signals cannot answer, so a payload the workflow would
 * drop must be refused here, where the sender still gets a 400 with the reason.
 */
export function toFlywheelSignal(alert: FlywheelAlert): FlywheelSignal {
  if (alert.resolved) return resolvedSignal(alert);
  const raw: Record<string, unknown> = {
    kind: alert.kind,
    source: alert.source,
    at: new Date(alert.receivedAtMs).toISOString(),
    ...(alert.reason !== undefined ? { reason: alert.reason } : {}),
    ...(alert.fingerprint !== undefined ? { fingerprint: alert.fingerprint } : {}),
    // Free-form severities (e.g. "page") carry no scale the trigger policy knows: leave them out.
    ...(alert.severity !== undefined &&
    SEVERITIES.has(alert.severity) &&
    alert.kind !== AlertKind.newData &&
    alert.kind !== AlertKind.retrain
      ? { severity: alert.severity }
      : {}),
    ...(alert.score !== undefined
      ? { score: alert.kind === AlertKind.newData ? Math.round(alert.score) : alert.score }
      : {}),
    ...(alert.observedVersion !== undefined && (alert.kind === AlertKind.drift || alert.kind === AlertKind.performance)
      ? { observedVersion: alert.observedVersion }
      : {}),
  };
  return checked(ALERT_SIGNAL[alert.kind], raw);
}

/** A resolved alert retracts what its firing added: `alertResolved` with its fingerprint. */
function resolvedSignal(alert: FlywheelAlert): FlywheelSignal {
  return checked(RESOLVED_ALERT_SIGNAL, {
    source: alert.source,
    at: new Date(alert.receivedAtMs).toISOString(),
    ...(alert.fingerprint !== undefined ? { fingerprint: alert.fingerprint } : {}),
    ...(alert.reason !== undefined ? { reason: alert.reason } : {}),
  });
}

/** The payload parsed with the schema the workflow applies: what it would drop is refused here, naming the field. */
function checked(signal: AlertSignal, raw: Record<string, unknown>): FlywheelSignal {
  const parsed = signal.schema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({
        path: i.path.join('.') || '(payload)',
        message: `${signal.name}: ${i.message}`,
      })),
    };
  }
  return { ok: true, signal, payload: parsed.data as Record<string, unknown> };
}
