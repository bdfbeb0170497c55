import type { z } from 'zod';
import { DriftAlertSchema, NewDataSchema, PerformanceReportSchema, RetrainRequestSchema } from '../domain/signals.js';
import { ALERT_SIGNAL, type AlertKind, type FlywheelAlert } from './alert-schemas.js';

const PAYLOAD_SCHEMA: Record<AlertKind, z.ZodTypeAny> = {
  drift: DriftAlertSchema,
  performance: PerformanceReportSchema,
  newData: NewDataSchema,
  retrain: RetrainRequestSchema,
};

const SEVERITIES = new Set(['info', 'warning', 'critical']);

export type FlywheelSignal =
  | { ok: true; signal: string; payload: Record<string, unknown> }
  | { ok: false; issues: Array<{ path: string; message: string }> };

/**
 * The flywheel signal (name and payload) an alert becomes, checked against the same
 * schema the workflow applies. Signals cannot answer, so a payload the workflow would
 * drop must be refused here, where the sender still gets a 400 with the reason.
 */
export function toFlywheelSignal(alert: FlywheelAlert): FlywheelSignal {
  const raw: Record<string, unknown> = {
    kind: alert.kind,
    source: alert.source,
    at: new Date(alert.receivedAtMs).toISOString(),
    ...(alert.reason !== undefined ? { reason: alert.reason } : {}),
    ...(alert.fingerprint !== undefined ? { fingerprint: alert.fingerprint } : {}),
    // Free-form severities (e.g. "page") carry no scale the trigger policy knows: leave them out.
    ...(alert.severity !== undefined && SEVERITIES.has(alert.severity) && alert.kind !== 'newData' && alert.kind !== 'retrain'
      ? { severity: alert.severity }
      : {}),
    ...(alert.score !== undefined ? { score: alert.kind === 'newData' ? Math.round(alert.score) : alert.score } : {}),
  };
  const parsed = PAYLOAD_SCHEMA[alert.kind].safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(payload)', message: `${ALERT_SIGNAL[alert.kind]}: ${i.message}` })),
    };
  }
  return { ok: true, signal: ALERT_SIGNAL[alert.kind], payload: parsed.data as Record<string, unknown> };
}
