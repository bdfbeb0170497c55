import type { ModelSpec } from '../domain/model-spec/model-spec.js';
import { judgeDrift, type DriftFinding } from '../domain/monitor/drift-finding.js';
import { judgePerformance, type PerformanceFinding } from '../domain/monitor/performance-finding.js';
import type { MonitorThresholds } from '../domain/monitor/thresholds.js';
import { driftReport, driftReportOptions } from '../stats/drift/index.js';
import type { Table } from '../stats/table.js';
import type { ServedModel } from './train-cycle.js';

/** What the monitor concluded at the end of one window about the model serving then. */
export interface WindowEvidence {
  readonly window: number;
  readonly drift: DriftFinding;
  readonly performance: PerformanceFinding;
}

/**
 * The production monitor's thresholds: the floors from the spec's trigger policy, the row
 * minimums and z from the monitor's defaults (MonitorSettingsSchema in
 * src/contracts/production-monitor.ts), so a backtest alert is one the monitor would raise.
 */
export function monitorThresholds(spec: ModelSpec): MonitorThresholds {
  return {
    driftFloor: spec.trigger.floors.drift,
    performanceFloor: spec.trigger.floors.performance,
    minDriftRows: 200,
    minLabeledRows: 200,
    minDegradationZ: 2.33,
    resignalAfterMs: 0,
  };
}

/**
 * Judges one window as the monitor does: drift of the rows the model served against its
 * training reference (the stats drift report under the spec's `validation.drift`), and its
 * accuracy on their labels against its held-out baseline.
 */
export function judgeWindow(
  spec: ModelSpec,
  model: ServedModel,
  served: Table,
  correct: number,
  at: { window: number; fromMs: number; toMs: number },
): WindowEvidence {
  const thresholds = monitorThresholds(spec);
  const columns = Object.keys(model.reference.columns).filter((c) => served.columns[c] !== undefined);
  const features =
    served.rowCount >= thresholds.minDriftRows && columns.length > 0
      ? driftReport(model.reference, served, driftReportOptions(spec.validation.drift, columns)).columns.map((c) => ({
          feature: c.column,
          drifted: c.drifted,
          test: c.method,
        }))
      : [];
  const span = { fromMs: at.fromMs, toMs: at.toMs };
  return {
    window: at.window,
    drift: judgeDrift({ ...span, rows: served.rowCount, features }, thresholds),
    performance: judgePerformance(
      {
        ...span,
        count: served.rowCount,
        labeledCount: served.rowCount,
        ...(served.rowCount > 0 ? { accuracy: correct / served.rowCount } : {}),
        ...(Number.isFinite(model.baselineAccuracy) ? { baseline: model.baselineAccuracy } : {}),
      },
      thresholds,
    ),
  };
}
