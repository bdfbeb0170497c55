import { decideGate } from '../../domain/evaluation-gate/decide-gate.js';
import type { MetricValues } from '../../domain/evaluation-gate/gate-input.js';
import type { GateReason, SignificanceResult } from '../../domain/evaluation-gate/gate-result.js';
import type { Task } from '../../domain/features.js';
import type { Scorer } from '../../domain/model-format/scorer.js';
import type { GatePolicy } from '../../domain/policies/gate-policy.js';
import { StatsInputError, type Table } from '../../stats/table.js';
import { measureLatencyP95Ms } from './measure-latency.js';
import { metricValues } from './model-metrics.js';
import { runSignificance, type PairedScores } from './significance.js';
import { fairnessEvidence, sliceEvidence } from './slices-and-fairness.js';

export interface EvaluateModelsInput {
  readonly policy: GatePolicy;
  readonly task: Task;
  /** Held-out rows including the label column. */
  readonly heldOut: Table;
  readonly labelName: string;
  readonly challenger: Scorer;
  readonly challengerSizeBytes: number;
  readonly champion?: Scorer | null;
  /** A champion exists but cannot be loaded: judged on the absolute limits, and the reasons say why. */
  readonly championUnservable?: { readonly version: number; readonly kind: string } | null;
}

/** The gate's verdict plus every number it was based on (what the cycle report and lineage keep). */
export interface GateResult {
  readonly decision: 'promote' | 'reject';
  readonly reasons: GateReason[];
  readonly metrics: { readonly challenger: MetricValues; readonly champion: MetricValues | null };
  readonly significance: SignificanceResult | null;
  /** Why the significance test could not run, when it could not (the gate then fails that check). */
  readonly significanceError?: string;
  readonly latencyP95Ms: number;
  readonly sizeBytes: number;
  readonly heldOutRows: number;
}

/**
 * Scores champion and challenger on the same held-out rows (through their Scorers, the
 * same ones that serve), computes the policy's metrics, significance, slices, fairness and
 * latency, and lets the pure gate decide.
 */
export async function evaluateModels(input: EvaluateModelsInput): Promise<GateResult> {
  const { policy, task, heldOut, labelName, challenger } = input;
  const champion = input.champion ?? null;
  const label = heldOut.columns[labelName];
  if (!label || label.kind !== 'numeric')
    throw new StatsInputError(`held-out rows have no numeric label column "${labelName}"`);
  if (heldOut.rowCount === 0) throw new StatsInputError('held-out split is empty: nothing to evaluate on');
  const scores: PairedScores = {
    yTrue: label.values,
    challenger: await challenger.score(heldOut),
    champion: champion ? await champion.score(heldOut) : new Float64Array(heldOut.rowCount),
    challengerThreshold: challenger.labelThreshold,
    championThreshold: champion?.labelThreshold ?? 0.5,
  };
  const challengerMetrics = metricValues(task, scores.yTrue, scores.challenger, scores.challengerThreshold);
  const championMetrics = champion ? metricValues(task, scores.yTrue, scores.champion, scores.championThreshold) : null;
  let significance: SignificanceResult | null = null;
  let significanceError: string | undefined;
  if (champion) {
    try {
      significance = runSignificance(policy, task, scores);
    } catch (err) {
      if (!(err instanceof StatsInputError)) throw err;
      significanceError = err.message;
    }
  }
  const latencyP95Ms = await measureLatencyP95Ms(challenger, heldOut);
  const verdict = decideGate({
    policy,
    ...(input.championUnservable ? { championUnservable: input.championUnservable } : {}),
    challenger: challengerMetrics,
    champion: championMetrics,
    significance,
    slices: sliceEvidence(policy, task, heldOut, scores, champion !== null),
    fairness: task === 'binaryClassification' ? fairnessEvidence(policy, heldOut, scores) : [],
    sizeBytes: input.challengerSizeBytes,
    latencyP95Ms,
  });
  return {
    ...verdict,
    metrics: { challenger: challengerMetrics, champion: championMetrics },
    significance,
    ...(significanceError === undefined ? {} : { significanceError }),
    latencyP95Ms,
    sizeBytes: input.challengerSizeBytes,
    heldOutRows: heldOut.rowCount,
  };
}
