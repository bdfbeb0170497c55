import { assessDriftHarmNumbers, type DriftHarmAssessment, type HarmPolicy } from './harm-policy.js';
import type { Trigger, TriggerSample } from './trigger.js';

/**
 * What the flywheel knows about the versions in service when an alert arrives: the alert
 * screening rules compare the version an alert observed, and when it was raised, with it.
 */
export interface ScreenContext {
  /** The champion the flywheel knows; `promotedAt` only when this flywheel saw the promotion. */
  champion: { version: number; promotedAt?: number } | null;
  /** A candidate of the cycle in flight, serving beside the champion (canary, shadow). */
  candidateVersion?: number;
}

/** Outcome of screening one trigger: accepted into the pending batch, or stopped with the reason. */
export type Screening =
  | { verdict: 'accept'; harm?: DriftHarmAssessment }
  | { verdict: 'stale'; reason: string }
  | { verdict: 'benign'; reason: string; harm: DriftHarmAssessment };

/** Kinds that describe the state of a served model, so they can go stale. */
const isAlertKind = (kind: Trigger['kind']) => kind === 'drift' || kind === 'performance';

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Why an alert no longer describes what serves, or null. An alert that names the version it
 * observed is judged by that version alone: it is stale when that version is older than the
 * champion (versions are numbered in registration order, so it was replaced) and is not the
 * candidate in flight. A newer version than the champion the flywheel knows is given the
 * benefit of the doubt: it may be a candidate whose number has not reached the flywheel yet.
 * An alert that names no version is stale when it was raised before this flywheel saw the
 * current champion promoted.
 */
export function staleReason(t: TriggerSample, ctx: ScreenContext): string | null {
  const { champion } = ctx;
  if (!isAlertKind(t.kind) || !champion) return null;
  if (t.observedVersion !== undefined) {
    if (t.observedVersion >= champion.version || t.observedVersion === ctx.candidateVersion) return null;
    return `stale ${t.kind} alert: it observed v${t.observedVersion}, which no longer serves (champion v${champion.version})`;
  }
  const raised = t.raisedAt ?? t.at;
  if (champion.promotedAt !== undefined && raised < champion.promotedAt)
    return `stale ${t.kind} alert: raised ${iso(raised)}, before v${champion.version} was promoted at ${iso(champion.promotedAt)}`;
  return null;
}

/**
 * The screening rules a drift or performance alert passes before it joins the pending
 * batch: it must describe a version that still serves ({@link staleReason}), and an
 * input-drift alert must be likely to hurt (`trigger.harm`, {@link assessDriftHarmNumbers}).
 * Performance, schedule, manual and new-data triggers are not subject to the harm rule.
 */
export function screenTrigger(t: Trigger, ctx: ScreenContext, harm: HarmPolicy): Screening {
  const stale = staleReason(t, ctx);
  if (stale) return { verdict: 'stale', reason: stale };
  if (t.kind !== 'drift') return { verdict: 'accept' };
  const assessment = assessDriftHarmNumbers(
    t.harm ?? { importantShare: null, measuredDrop: null, estimatedDrop: null },
    harm,
  );
  if (assessment.harmful) return { verdict: 'accept', harm: assessment };
  return { verdict: 'benign', reason: assessment.reason, harm: assessment };
}
