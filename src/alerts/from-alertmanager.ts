import { createHash } from 'node:crypto';
import { AlertKind, ModelIdSchema, type FlywheelAlert } from './alert-schemas.js';
import { alertScore } from './alert-score.js';
import { AlertmanagerAlertSchema, type AlertmanagerPayload } from './alertmanager-schema.js';
import { rejectedAlert, type RejectedAlert } from './rejected-alert.js';

/** Stable id of an alert's label set, for senders that do not send `fingerprint`. */
function labelFingerprint(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join('\u0000');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

const alertKinds = Object.values(AlertKind) as string[];

/** The fingerprint of an alert that may not have parsed: what Alertmanager sent, else the label hash when there are labels. */
function fingerprintOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { fingerprint, labels } = raw as { fingerprint?: unknown; labels?: unknown };
  if (typeof fingerprint === 'string' && fingerprint.length > 0) return fingerprint;
  if (typeof labels === 'object' && labels !== null && Object.values(labels).every((v) => typeof v === 'string')) {
    return labelFingerprint(labels as Record<string, string>);
  }
  return undefined;
}

/** Labels that may name the model version an alert is about, first match wins. */
const VERSION_LABELS = ['model_version', 'version'] as const;

type VersionLabel = { ok: true; version: number; field: string } | { ok: false; field: string; reason: string };

/** The version the alert observed, from `labels.model_version` (or `labels.version`); undefined when neither is set. */
function observedVersion(labels: Record<string, string>): VersionLabel | undefined {
  const name = VERSION_LABELS.find((l) => labels[l] !== undefined);
  if (name === undefined) return undefined;
  const raw = labels[name]!.replace(/^v/, '');
  const field = `labels.${name}`;
  const version = Number(raw);
  return /^[0-9]+$/.test(raw) && Number.isSafeInteger(version) && version >= 1
    ? { ok: true, version, field }
    : { ok: false, field, reason: `must be a model version number ≥ 1 (e.g. "3" or "v3"), got "${labels[name]}"` };
}

/** The firing alerts of a notification that can become flywheel signals, and the rest with the field to fix. */
export interface AlertmanagerAlerts {
  alerts: FlywheelAlert[];
  rejected: RejectedAlert[];
}

/**
 * Turns the alerts of an Alertmanager notification into flywheel alerts, one by one: an
 * alert that fails its checks is rejected alone, naming its field (`alerts[1].labels.model`).
 * A resolved alert becomes a retraction (`alertResolved` with its fingerprint): the
 * flywheel takes back the pending triggers its firing added. A `model_version` (or
 * `version`) label names the version the alert observed.
 * `labels.kind` picks the signal (default drift); the score follows {@link alertScore}
 * (`annotations.score`, then `annotations.value`, then `labels.severity` where the kind
 * allows it); `annotations.summary` (or `description`) becomes the reason a person reads.
 */
export function alertsFromAlertmanager(payload: AlertmanagerPayload, receivedAtMs: number): AlertmanagerAlerts {
  const out: AlertmanagerAlerts = { alerts: [], rejected: [] };
  payload.alerts.forEach((raw, index) => {
    const at = (field: string) => `alerts[${index}].${field}`;
    const fingerprint = fingerprintOf(raw);
    const reject = (field: string, reason: string, modelId?: string) =>
      out.rejected.push(rejectedAlert({ index, fingerprint, modelId }, at(field), `${at(field)}: ${reason}`));

    const parsed = AlertmanagerAlertSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return reject(issue.path.join('.') || '(alert)', issue.message);
    }
    const alert = parsed.data;
    const model = alert.labels.model;
    if (model === undefined)
      return reject(
        'labels.model',
        `${alert.status} alert has no "model" label: add \`model: <modelId>\` to the alerting rule labels`,
      );
    if (!ModelIdSchema.safeParse(model).success) return reject('labels.model', `invalid model id "${model}"`);
    const kind = alert.labels.kind ?? AlertKind.drift;
    if (!alertKinds.includes(kind))
      return reject('labels.kind', `must be one of ${alertKinds.join(', ')} (or absent for drift)`, model);
    const common = {
      modelId: model,
      kind: kind as AlertKind,
      source: `alertmanager:${alert.labels.alertname ?? 'unnamed'}`,
      fingerprint: alert.fingerprint ?? labelFingerprint(alert.labels),
      startsAt: alert.startsAt,
      receivedAtMs,
      index,
    };
    // A recovered metric is not a reason to retrain: the flywheel takes back what the firing alert asked for.
    if (alert.status === 'resolved') {
      out.alerts.push({ ...common, resolved: true, fields: { fingerprint: at('fingerprint') } });
      return;
    }
    const version = observedVersion(alert.labels);
    if (version && !version.ok) return reject(version.field, version.reason, model);

    const score = alertScore(kind as AlertKind, {
      score: alert.annotations.score,
      value: alert.annotations.value,
      severity: alert.labels.severity,
      fields: { score: 'annotations.score', value: 'annotations.value', severity: 'labels.severity' },
      clampDrift: true,
    });
    if (!score.ok) return reject(score.field, score.reason, model);
    const reasonField = alert.annotations.summary !== undefined ? 'annotations.summary' : 'annotations.description';
    const reason = alert.annotations.summary ?? alert.annotations.description;
    out.alerts.push({
      ...common,
      ...(version ? { observedVersion: version.version } : {}),
      ...(alert.labels.severity ? { severity: alert.labels.severity } : {}),
      ...(score.score !== undefined ? { score: score.score } : {}),
      ...(score.held ? { held: score.held } : {}),
      ...(reason ? { reason } : {}),
      // A signal field the flywheel would refuse is reported as the Alertmanager field it came from.
      fields: {
        model: at('labels.model'),
        reason: at(reasonField),
        score: at(score.from ?? 'annotations.score'),
        severity: at('labels.severity'),
        source: at('labels.alertname'),
        fingerprint: at('fingerprint'),
        observedVersion: at(version?.field ?? 'labels.model_version'),
      },
    });
  });
  return out;
}
