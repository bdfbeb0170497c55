import { SEVERITY_LABEL_SCORE } from '../domain/signals.js';
import type { AlertKind } from './alert-schemas.js';

/** Where the score of an alert may come from, in the order the rules try them. */
export interface ScoreInputs {
  score?: string | number;
  value?: string | number;
  severity?: string;
  /** The sender's name of each field, as a refusal names it (e.g. `annotations.value`, `labels.severity`). */
  fields: { score: string; value?: string; severity: string };
  /** Drift only: a number above 1 (e.g. a PSI) is clamped to 1 instead of refused. */
  clampDrift?: boolean;
}

export type AlertScore =
  /** `from` names the field the score came from; `held` says why the alert was held to its kind's floor. */
  { ok: true; score?: number; from?: string; held?: string } | { ok: false; field: string; reason: string };

/** What each scored kind's number means, and whether a severity label can stand for it. */
const SCALE: Record<Exclude<AlertKind, 'retrain'>, { unit: string; severityMaps: boolean }> = {
  // 0..1 drift share or score: the flywheel's drift floor is on the same scale as info/warning/critical.
  drift: { unit: 'a drift share or score on 0..1', severityMaps: true },
  // Points of degradation of the watched metric: "critical" says nothing about how many.
  performance: { unit: 'points of degradation (0.04 = 4 points)', severityMaps: false },
  newData: { unit: 'new labelled rows', severityMaps: false },
};

const isSeverity = (s: string): s is keyof typeof SEVERITY_LABEL_SCORE => Object.hasOwn(SEVERITY_LABEL_SCORE, s);

function numberFrom(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const text = value.trim();
  const n = text === '' ? Number.NaN : Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The score an alert carries to the flywheel, by one rule per kind: `score`, then `value`,
 * then the severity label only where the kind's scale allows it (drift: info/warning/critical
 * → 0.3/0.6/0.9). Otherwise the alert is held to its kind's floor: it is signalled with
 * score 0, which counts only when `trigger.floors.<kind>` is 0, and `held` says why.
 * A field that is not a number, a negative score, or an unknown severity with no number is
 * refused, naming the field. `retrain` has no score.
 */
export function alertScore(kind: AlertKind, inputs: ScoreInputs): AlertScore {
  if (kind === 'retrain') return { ok: true };
  const scale = SCALE[kind];
  const { fields } = inputs;
  const numbers = [
    { field: fields.score, raw: inputs.score },
    ...(fields.value ? [{ field: fields.value, raw: inputs.value }] : []),
  ];
  for (const { field, raw } of numbers) {
    if (raw === undefined) continue;
    const n = numberFrom(raw);
    if (n === undefined)
      return { ok: false, field, reason: `${JSON.stringify(raw)} is not a number (${kind}: ${scale.unit})` };
    if (n < 0) return { ok: false, field, reason: `${n} is negative (${kind}: ${scale.unit})` };
    // Drift scores such as PSI can exceed 1; on the 0..1 scale anything at or above 1 is severe drift.
    const score = kind === 'drift' && inputs.clampDrift ? Math.min(1, n) : n;
    return { ok: true, score, from: field };
  }
  const where = numbers.map((n) => n.field).join(' or ');
  const severity = inputs.severity;
  if (severity !== undefined) {
    if (!isSeverity(severity)) {
      return {
        ok: false,
        field: fields.severity,
        reason: `unknown severity "${severity}" and no score: use info, warning or critical, or give ${where}`,
      };
    }
    if (scale.severityMaps) return { ok: true, score: SEVERITY_LABEL_SCORE[severity], from: fields.severity };
  }
  const why =
    severity === undefined ? 'no score' : `no score, and severity "${severity}" cannot say how many ${scale.unit}`;
  return {
    ok: true,
    score: 0,
    held: `${kind}: ${why}; held to the floor (signalled with score 0, which counts only if trigger.floors.${kind} is 0): give ${scale.unit} in ${where}`,
  };
}
