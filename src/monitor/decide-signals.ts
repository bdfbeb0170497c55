import type { DriftAlert, PerformanceReport } from '../domain/signals.js';
import { DriftStatus, type DriftFinding } from './drift-finding.js';
import { PerformanceStatus, type PerformanceFinding } from './performance-finding.js';
import type { MonitorThresholds } from './thresholds.js';

/** The flywheel signals the monitor sends (names as in the flywheel contract). */
export const MonitorSignalName = { driftAlert: 'driftAlert', performanceReport: 'performanceReport' } as const;

export type MonitorSignal =
  | { readonly signal: typeof MonitorSignalName.driftAlert; readonly payload: DriftAlert }
  | { readonly signal: typeof MonitorSignalName.performanceReport; readonly payload: PerformanceReport };

/** When each kind was last signalled (epoch ms), carried by the monitor workflow. */
export interface LastSignals {
  readonly driftAlert?: number;
  readonly performanceReport?: number;
}

export interface SignalContext {
  readonly modelId: string;
  readonly championVersion: number;
  readonly nowMs: number;
  readonly lastSignals: LastSignals;
  readonly thresholds: MonitorThresholds;
}

const quiet = (kind: keyof LastSignals, ctx: SignalContext): boolean => {
  const last = ctx.lastSignals[kind];
  return last !== undefined && ctx.nowMs - last < ctx.thresholds.resignalAfterMs;
};

/**
 * Which signals to send for one window's findings: a crossed threshold is signalled,
 * unless the same kind was signalled less than `resignalAfterMs` ago (the flywheel
 * debounces too; this keeps a persistent drift from filling its history). The
 * fingerprint names the champion version so the flywheel can tell repeats from news.
 */
export function decideSignals(drift: DriftFinding, performance: PerformanceFinding, ctx: SignalContext): MonitorSignal[] {
  const at = new Date(ctx.nowMs).toISOString();
  const source = `monitor:${ctx.modelId}`;
  const out: MonitorSignal[] = [];
  if (drift.status === DriftStatus.drifted && !quiet('driftAlert', ctx)) {
    out.push({
      signal: MonitorSignalName.driftAlert,
      payload: {
        source,
        at,
        kind: 'inputDrift',
        score: Math.min(1, drift.score),
        features: drift.driftedFeatures.slice(0, 200),
        reason: `v${ctx.championVersion}: ${drift.summary}`.slice(0, 2000),
        fingerprint: `${source}:drift:v${ctx.championVersion}`,
      },
    });
  }
  if (performance.status === PerformanceStatus.degraded && !quiet('performanceReport', ctx)) {
    out.push({
      signal: MonitorSignalName.performanceReport,
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
      },
    });
  }
  return out;
}
