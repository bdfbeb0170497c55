import { monitorSignals } from '../contracts/production-monitor.js';
import { DriftStatus, type DriftFinding } from '../domain/monitor/drift-finding.js';
import type { LastSignals, MonitorSignal, MonitorSignalName } from '../domain/monitor/monitor-finding.js';
import { PerformanceStatus, type PerformanceFinding } from '../domain/monitor/performance-finding.js';
import { EstimatedStatus, type EstimatedPerformanceFinding } from '../domain/monitor/estimated-performance.js';
import type { MonitorThresholds } from '../domain/monitor/thresholds.js';
import type { DriftEvidence } from '../domain/signals.js';
import { importantShareOf } from '../domain/trigger/harm-policy.js';

export interface SignalContext {
  readonly modelId: string;
  readonly championVersion: number;
  /** The champion version's recorded feature importance (`lineage.importance.byFeature`); null when it has none. */
  readonly importance: Readonly<Record<string, number>> | null;
  readonly nowMs: number;
  readonly lastSignals: LastSignals;
  readonly thresholds: MonitorThresholds;
}

const quiet = (kind: MonitorSignalName, ctx: SignalContext): boolean => {
  const last = ctx.lastSignals[kind];
  return last !== undefined && ctx.nowMs - last < ctx.thresholds.resignalAfterMs;
};

/**
 * The evidence of harm a drift alert carries (`trigger.harm` decides on it in the flywheel):
 * the share of the champion's importance held by the drifted features, and the drop measured
 * on labels over the champion's own performance window when that window had labels enough
 * for a verdict, and the drop the label-free estimate (CBPE) expects when it reached a
 * verdict (null when the champion has no calibration or the window too few rows).
 */
export function driftEvidence(drift: DriftFinding, performance: PerformanceFinding, ctx: SignalContext): DriftEvidence {
  const judged = performance.status === PerformanceStatus.degraded || performance.status === PerformanceStatus.ok;
  return {
    importantShare: importantShareOf(drift.driftedFeatures, ctx.importance && { ...ctx.importance }),
    measuredDrop: judged ? performance.degradation : null,
    estimatedDrop: estimatedJudged(performance) ? performance.estimated.degradation : null,
  };
}

/**
 * Which signals to send for one window's findings: a crossed threshold is signalled,
 * unless the same kind was signalled less than `resignalAfterMs` ago (the flywheel
 * debounces too; this keeps a persistent drift from filling its history). The
 * fingerprint names the champion version so the flywheel can tell repeats from news.
 */
export function decideSignals(
  drift: DriftFinding,
  performance: PerformanceFinding,
  ctx: SignalContext,
): MonitorSignal[] {
  const at = new Date(ctx.nowMs).toISOString();
  const source = `monitor:${ctx.modelId}`;
  const out: MonitorSignal[] = [];
  if (drift.status === DriftStatus.drifted && !quiet(monitorSignals.driftAlert.name, ctx)) {
    out.push({
      signal: monitorSignals.driftAlert.name,
      payload: {
        source,
        at,
        kind: 'inputDrift',
        score: Math.min(1, drift.score),
        features: drift.driftedFeatures.slice(0, 200),
        reason: `v${ctx.championVersion}: ${drift.summary}`.slice(0, 2000),
        fingerprint: `${source}:drift:v${ctx.championVersion}`,
        observedVersion: ctx.championVersion,
        evidence: driftEvidence(drift, performance, ctx),
      },
    });
  }
  if (performance.status === PerformanceStatus.degraded && !quiet(monitorSignals.performanceReport.name, ctx)) {
    out.push({
      signal: monitorSignals.performanceReport.name,
      payload: {
        source,
        at,
        kind: 'liveAccuracy',
        metric: performance.metric,
        score: performance.degradation ?? undefined,
        value: performance.accuracy ?? undefined,
        baseline: performance.baseline ?? undefined,
        reason: `v${ctx.championVersion}: ${performance.summary}`.slice(0, 2000),
        fingerprint: `${source}:performance:v${ctx.championVersion}`,
        observedVersion: ctx.championVersion,
      },
    });
  } else if (isEstimatedDrop(performance) && !quiet(monitorSignals.performanceReport.name, ctx)) {
    out.push(estimatedReport(performance, source, at, ctx.championVersion));
  }
  return out;
}

type WithEstimate = PerformanceFinding & { estimated: EstimatedPerformanceFinding };

const estimatedJudged = (p: PerformanceFinding): p is WithEstimate =>
  p.estimated?.status === EstimatedStatus.degraded || p.estimated?.status === EstimatedStatus.ok;

/** Labels have not shown a drop (yet), but the label-free estimate has. */
const isEstimatedDrop = (p: PerformanceFinding): p is WithEstimate =>
  p.status !== PerformanceStatus.degraded && p.estimated?.status === EstimatedStatus.degraded;

/** `performanceReport` with `estimated: true`: the drop CBPE expects before the labels arrive. */
function estimatedReport(
  performance: WithEstimate,
  source: string,
  at: string,
  championVersion: number,
): MonitorSignal {
  const { estimated } = performance;
  return {
    signal: monitorSignals.performanceReport.name,
    payload: {
      source,
      at,
      kind: 'estimatedAccuracy',
      metric: 'accuracy',
      estimated: true,
      score: estimated.degradation ?? undefined,
      value: estimated.accuracy?.estimate,
      baseline: performance.baseline ?? undefined,
      reason: `v${championVersion}: ${estimated.summary}`.slice(0, 2000),
      // The same fingerprint as a measured drop: the flywheel treats them as one condition.
      fingerprint: `${source}:performance:v${championVersion}`,
    },
  };
}
