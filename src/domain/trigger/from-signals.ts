import {
  SEVERITY_LABEL_SCORE,
  type DriftAlert,
  type NewData,
  type PerformanceReport,
  type RetrainRequest,
} from '../signals.js';
import type { Trigger } from './trigger.js';

type Common = Pick<DriftAlert, 'source' | 'reason' | 'severity' | 'fingerprint' | 'at'> & { observedVersion?: number };

function base(kind: Trigger['kind'], p: Common, at: number): Trigger {
  const t: Trigger = { kind, at };
  if (p.source) t.source = p.source;
  if (p.reason) t.detail = p.reason.slice(0, 500);
  if (p.fingerprint) t.fingerprint = p.fingerprint;
  if (p.observedVersion !== undefined) t.observedVersion = p.observedVersion;
  // Validated as an ISO date-time by the signal schema.
  if (p.at !== undefined) t.raisedAt = Date.parse(p.at);
  return t;
}

const labelScore = (p: Common) => (p.severity ? SEVERITY_LABEL_SCORE[p.severity] : undefined);

/** Signal payloads → triggers. A numeric score wins over a severity label; neither means "no floor". */
export function driftTrigger(p: DriftAlert, at: number): Trigger {
  const score = p.score ?? labelScore(p);
  return {
    ...base('drift', p, at),
    ...(score !== undefined ? { score } : {}),
    ...(p.evidence ? { harm: { ...p.evidence } } : {}),
  };
}

export function performanceTrigger(p: PerformanceReport, at: number): Trigger {
  const fromValues = p.value !== undefined && p.baseline !== undefined ? p.baseline - p.value : undefined;
  const score = p.score ?? fromValues ?? labelScore(p);
  const t = { ...base('performance', p, at), ...(score !== undefined ? { score } : {}) };
  if (!t.detail && p.metric) t.detail = `${p.metric} ${p.value ?? '?'} vs baseline ${p.baseline ?? '?'}`;
  return t;
}

export function newDataTrigger(p: NewData, at: number): Trigger {
  const score = p.rows ?? p.score;
  return { ...base('newData', p, at), ...(score !== undefined ? { score } : {}) };
}

/** A retrain request from a schedule counts as `schedule`; from a person, as `manual`. */
export function retrainTrigger(p: RetrainRequest, at: number): Trigger {
  if (p.scheduleId) return { ...base('schedule', p, at), source: p.source ?? `schedule:${p.scheduleId}` };
  const t = base('manual', p, at);
  if (p.requestedBy) t.requestedBy = p.requestedBy;
  if (p.force) t.force = true;
  return t;
}
