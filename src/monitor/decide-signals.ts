import { monitorSignals } from '../contracts/production-monitor.js';
import { DriftStatus, type DriftFinding } from '../domain/monitor/drift-finding.js';
import type { LastSignals, MonitorSignal, MonitorSignalName } from '../domain/monitor/monitor-finding.js';
import { PerformanceStatus, type PerformanceFinding } from '../domain/monitor/performance-finding.js';
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
 * for a verdict. The estimated drop is the label-free estimate of the performance finding;
 * this finding has none, so it is sent as not known.
 */
export function driftEvidence(drift: DriftFinding, performance: PerformanceFinding, ctx: SignalContext): DriftEvidence {
  const judged = performance.status === PerformanceStatus.degraded || performance.status === PerformanceStatus.ok;
  return {
    importantShare: importantShareOf(drift.driftedFeatures, ctx.importance && { ...ctx.importance }),
    measuredDrop: judged ? performance.degradation : null,
    estimatedDrop: null,
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
  }
  return out;
}
