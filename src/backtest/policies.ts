import type { RecencyWindow } from '../domain/model-spec/data-source-config.js';
import type { ModelSpec } from '../domain/model-spec/model-spec.js';
import { assessDriftHarm } from '../domain/trigger/harm-policy.js';
import type { WindowEvidence } from './monitor-window.js';
import type { ServedModel } from './train-cycle.js';

export const PolicyId = { spec: 'spec', periodic: 'periodic', naive: 'naive', oracle: 'oracle' } as const;
export type PolicyId = (typeof PolicyId)[keyof typeof PolicyId];

/** An alert the monitor raised at the end of a window. */
export interface RaisedAlert {
  readonly kind: 'drift' | 'performance';
  readonly window: number;
  /** Drift: share of drifted features; performance: the accuracy drop. */
  readonly score: number;
  readonly features: readonly string[];
  readonly detail: string;
}

/** Whether a policy hands an alert to the trigger policy, and why (benign drift is recorded, not acted on). */
export interface AlertVerdict {
  readonly act: boolean;
  readonly reason: string;
}

/**
 * One retraining policy under test: which monitor alerts it acts on, which windows it
 * retrains at on its own (periodic, oracle), and which rows it trains on. Every policy
 * goes through the same trigger policy (debounce, cooldown, budget), trainer and gate.
 */
export interface ReplayPolicy {
  readonly id: PolicyId;
  readonly label: string;
  /** One line: what it retrains on, for the table and the report. */
  readonly rule: string;
  judge(alert: RaisedAlert, champion: ServedModel, evidence: WindowEvidence): AlertVerdict;
  /** Windows at whose end it asks for a retrain itself. */
  readonly scheduled: ReadonlySet<number>;
  /** Scheduled retrains skip cooldown and budget (the oracle's, which knows when to retrain). */
  readonly forceScheduled: boolean;
  /** Recency window of its training rows; `since` is the first window of the evidence that started the cycle. */
  readonly recency: RecencyWindow | undefined;
  /** Words for the training rows, for the table. */
  readonly data: string;
}

const NOT_ACTED = (why: string): AlertVerdict => ({ act: false, reason: why });

const describeRecency = (r: RecencyWindow | undefined, history: string): string =>
  !r
    ? history
    : [r.lastWindows !== undefined ? `last ${r.lastWindows} windows` : null, r.sinceChange ? 'since the change' : null]
        .filter(Boolean)
        .join(', ') || history;

/**
 * The spec's own policy: performance alerts count; a drift alert counts only when the
 * harm rule (`trigger.harm`, assessDriftHarm) finds it likely to hurt the champion, from
 * the drifted features' importance and the drop measured on the window's labels.
 */
export function specPolicy(spec: ModelSpec, history: string): ReplayPolicy {
  const recency = spec.dataSource.recency;
  return {
    id: PolicyId.spec,
    label: "spec's policy",
    rule: spec.trigger.harm.enabled
      ? 'performance alerts + harmful drift (trigger.harm)'
      : 'every alert (harm rule off)',
    judge(alert, champion, evidence) {
      if (alert.kind === 'performance') return { act: true, reason: alert.detail };
      const assessment = assessDriftHarm(
        {
          driftedFeatures: [...alert.features],
          importance: champion.importance ? { ...champion.importance } : null,
          measuredDrop: evidence.performance.degradation,
          estimatedDrop: null,
        },
        spec.trigger.harm,
      );
      return { act: assessment.harmful, reason: assessment.reason };
    },
    scheduled: new Set(),
    forceScheduled: false,
    recency,
    data: describeRecency(recency, history),
  };
}

/** Naive drift-triggered: every drift verdict of the monitor asks for a retrain (same trigger policy and budget). */
export function naivePolicy(recency: RecencyWindow | undefined, history: string): ReplayPolicy {
  return {
    id: PolicyId.naive,
    label: 'naive drift-triggered',
    rule: 'every drift verdict',
    judge: (alert) => (alert.kind === 'drift' ? { act: true, reason: alert.detail } : NOT_ACTED('watches drift only')),
    scheduled: new Set(),
    forceScheduled: false,
    recency,
    data: describeRecency(recency, history),
  };
}

/** Periodic: `retrains` retrains spread evenly over the stream, K ≈ windows / (retrains + 1) apart. */
export function periodicPolicy(
  windowCount: number,
  retrains: number,
  recency: RecencyWindow | undefined,
  history: string,
): ReplayPolicy {
  const every = retrains > 0 ? windowCount / (retrains + 1) : Number.POSITIVE_INFINITY;
  const scheduled = new Set(Array.from({ length: retrains }, (_, i) => Math.max(1, Math.round((i + 1) * every)) - 1));
  return {
    id: PolicyId.periodic,
    label: 'periodic',
    rule: retrains > 0 ? `every ${Number(every.toFixed(1))} windows` : 'never (spec retrained 0 times)',
    judge: () => NOT_ACTED('retrains on its schedule only'),
    scheduled,
    forceScheduled: false,
    recency,
    data: describeRecency(recency, history),
  };
}

/** Oracle: retrains exactly at the end of each known concept-change window, on rows since the change. */
export function oraclePolicy(changes: readonly number[], history: string): ReplayPolicy {
  const recency: RecencyWindow = { sinceChange: true };
  return {
    id: PolicyId.oracle,
    label: 'oracle',
    rule: `at the known changes (${changes.join(', ') || 'none'})`,
    judge: () => NOT_ACTED('retrains at the known changes only'),
    scheduled: new Set(changes),
    forceScheduled: true,
    recency,
    data: describeRecency(recency, history),
  };
}
