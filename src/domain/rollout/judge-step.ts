import { formatDuration } from '../duration.js';
import type { RolloutGuards, ThinTraffic } from '../policies/rollout-policy.js';
import type { LiveMetrics } from '../records/live-metrics.js';
import type { RolloutPhase } from './rollout-plan.js';
import { candidateCannotBeServed, type LoadFailureSummary, type UnservableKind } from './serviceability.js';

export const StepAction = {
  advance: 'advance',
  promote: 'promote',
  rollback: 'rollback',
  extend: 'extend',
  pause: 'pause',
} as const;
export type StepAction = (typeof StepAction)[keyof typeof StepAction];

export interface StepJudgement {
  action: StepAction;
  reason: string;
  /** Set when the rollback is because the gateway could not serve the candidate. */
  unservable?: UnservableKind;
}

export interface StepEvidence {
  phase: RolloutPhase;
  isLast: boolean;
  guards: RolloutGuards;
  thinTraffic: ThinTraffic;
  /** Extensions already taken in this phase. */
  extensions: number;
  /** Bake time already spent in this phase, extensions included. */
  bakedMs: number;
  candidate: LiveMetrics;
  /** For messages only. */
  candidateVersion?: number;
  /** The champion over the same window, for the accuracy comparison. */
  champion?: LiveMetrics | null;
  /** Shadow only: share of mirrored predictions where candidate and champion agreed. */
  agreement?: number | null;
  /** The gateway's failures to load the candidate in the window (its traffic went elsewhere). */
  refusals?: LoadFailureSummary | null;
}

const pct = (x: number) => `${Number((x * 100).toFixed(2))}%`;

function guardBreach(e: StepEvidence): string | null {
  const { candidate: m, guards: g } = e;
  if (m.errorRate > g.maxErrorRate)
    return `error rate ${pct(m.errorRate)} exceeds ${pct(g.maxErrorRate)} over ${m.count} predictions`;
  if (m.p95LatencyMs !== null && m.p95LatencyMs > g.maxP95LatencyMs)
    return `p95 latency ${Math.round(m.p95LatencyMs)} ms exceeds ${g.maxP95LatencyMs} ms`;
  const champ = e.champion;
  if (
    m.accuracy !== undefined &&
    champ?.accuracy !== undefined &&
    m.labeledCount >= g.minLabeled &&
    champ.labeledCount >= g.minLabeled
  ) {
    const drop = champ.accuracy - m.accuracy;
    if (drop > g.maxAccuracyDrop) {
      return `online accuracy ${pct(m.accuracy)} trails the champion's ${pct(champ.accuracy)} by ${pct(drop)} (tolerance ${pct(g.maxAccuracyDrop)}, ${m.labeledCount} labelled)`;
    }
  }
  // The prediction log measures agreement of the candidate's shadow copies with the answers served.
  const agreement = e.agreement ?? e.candidate.agreement;
  if (e.phase.kind === 'shadow' && agreement !== undefined && agreement !== null && agreement < e.phase.minAgreement) {
    return `shadow agreement ${pct(agreement)} is below ${pct(e.phase.minAgreement)} over ${e.candidate.shadowCount ?? e.candidate.count} mirrored requests`;
  }
  return null;
}

function thin(e: StepEvidence): StepJudgement {
  const { thinTraffic: t, phase, extensions, bakedMs, candidate } = e;
  const what = `only ${candidate.count} predictions after ${formatDuration(bakedMs)} (need ${e.guards.minSamples})`;
  const capOk = t.maxBakeMs === undefined || bakedMs + phase.bakeMs <= t.maxBakeMs;
  if (extensions < t.maxExtensions && capOk && phase.bakeMs > 0) {
    return {
      action: 'extend',
      reason: `${what}: extending the bake by ${formatDuration(phase.bakeMs)} (extension ${extensions + 1} of ${t.maxExtensions})`,
    };
  }
  const action = t.onExhausted === 'promote' ? (e.isLast ? 'promote' : 'advance') : t.onExhausted;
  return { action, reason: `${what}, extensions exhausted: thinTraffic.onExhausted is ${t.onExhausted}` };
}

/**
 * The rollout's decision at the end of a bake: roll back on any guard breach, extend (or
 * apply `thinTraffic.onExhausted`) when traffic is too thin to judge, else advance, or
 * promote after the last phase. The gateway's refusals of the candidate and the guards
 * are checked before thinness, so a handful of failing requests still rolls back.
 */
export function judgeStep(e: StepEvidence): StepJudgement {
  // A refused candidate logs no predictions of its own: judged first, it can never pass as thin traffic.
  const refused = e.refusals && e.refusals.count > 0 ? e.refusals : null;
  if (refused) {
    const times = `${refused.count} time${refused.count === 1 ? '' : 's'}`;
    return {
      action: 'rollback',
      unservable: refused.kind,
      reason: `${e.phase.label}: ${candidateCannotBeServed(refused.kind)}: the gateway refused v${e.candidateVersion ?? '?'} ${times} (last: ${refused.message})`,
    };
  }
  const breach = e.candidate.count > 0 ? guardBreach(e) : null;
  if (breach) return { action: 'rollback', reason: `${e.phase.label}: ${breach}` };
  if (e.candidate.count < e.guards.minSamples) {
    const j = thin(e);
    return { ...j, reason: `${e.phase.label}: ${j.reason}` };
  }
  const ok = `${e.candidate.count} predictions, error rate ${pct(e.candidate.errorRate)}${e.candidate.p95LatencyMs !== null ? `, p95 ${Math.round(e.candidate.p95LatencyMs)} ms` : ''}${e.candidate.accuracy !== undefined ? `, accuracy ${pct(e.candidate.accuracy)}` : ''}`;
  return e.isLast
    ? { action: 'promote', reason: `${e.phase.label}: guards held (${ok}); promoting` }
    : { action: 'advance', reason: `${e.phase.label}: guards held (${ok}); advancing` };
}
