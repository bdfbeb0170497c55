import { describe, expect, it } from 'vitest';
import { decideSignals, judgeDrift, judgePerformance, type MonitorThresholds } from '../../../src/monitor/index.js';
import type { EstimatedPerformanceEvidence } from '../../../src/domain/monitor/index.js';
import { PerformanceReportSchema } from '../../../src/domain/signals.js';

const thresholds: MonitorThresholds = {
  driftFloor: 0.3,
  performanceFloor: 0.02,
  minDriftRows: 200,
  minLabeledRows: 200,
  minDegradationZ: 2.33,
  resignalAfterMs: 60_000,
};
const stable = judgeDrift({ rows: 500, fromMs: 0, toMs: 1, features: [] }, thresholds);
const ctx = { modelId: 'loans', championVersion: 3, nowMs: 1_000_000, lastSignals: {}, thresholds, importance: null };
const metric = (estimate: number, halfWidth: number) => ({
  estimate,
  lower: estimate - halfWidth,
  upper: estimate + halfWidth,
});
const estimate = (accuracy: number, halfWidth = 0.01, rowCount = 1000): EstimatedPerformanceEvidence => ({
  fromMs: 0,
  toMs: 1,
  rowCount,
  coverage: 0.95,
  accuracy: metric(accuracy, halfWidth),
  precision: null,
  recall: null,
  f1: null,
  rocAuc: null,
});
/** No labels yet: the realized side has nothing to say. */
const unlabelled = (estimated: EstimatedPerformanceEvidence) =>
  judgePerformance({ fromMs: 0, toMs: 1, count: 1000, labeledCount: 0, baseline: 0.9, estimated }, thresholds);

describe('performanceReport from the label-free estimate', () => {
  it('is sent with estimated: true before any label arrives when the estimated drop passes the floor and the band', () => {
    const finding = unlabelled(estimate(0.84));
    expect(finding.status).toBe('insufficientLabels');
    expect(finding.estimated).toMatchObject({ status: 'degraded' });
    expect(finding.estimated?.degradation).toBeCloseTo(0.06);
    const [report, ...rest] = decideSignals(stable, finding, ctx);
    expect(rest).toEqual([]);
    expect(report?.signal).toBe('performanceReport');
    expect(report?.payload).toMatchObject({ estimated: true, kind: 'estimatedAccuracy', value: 0.84, baseline: 0.9 });
    expect(report?.payload.score).toBeCloseTo(0.06);
    expect(report?.payload.fingerprint).toBe('monitor:loans:performance:v3');
    expect(PerformanceReportSchema.safeParse(report?.payload).success).toBe(true);
  });

  it('is not sent when the drop is under the floor, when the band still holds the baseline, or on too few rows', () => {
    for (const e of [estimate(0.89), estimate(0.87, 0.04), estimate(0.7, 0.01, 50)]) {
      const finding = unlabelled(e);
      expect(finding.estimated?.status).not.toBe('degraded');
      expect(decideSignals(stable, finding, ctx)).toEqual([]);
    }
  });

  it('gives way to a drop measured on labels: one report, the measured one', () => {
    const finding = judgePerformance(
      { fromMs: 0, toMs: 1, count: 1000, labeledCount: 800, accuracy: 0.8, baseline: 0.9, estimated: estimate(0.84) },
      thresholds,
    );
    const signals = decideSignals(stable, finding, ctx);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.payload).not.toHaveProperty('estimated');
    expect(signals[0]?.payload).toMatchObject({ value: 0.8 });
  });

  it('hands the estimated drop to a drift alert as evidence of harm', () => {
    const drifted = judgeDrift(
      { rows: 500, fromMs: 0, toMs: 1, features: [{ feature: 'x1', drifted: true, test: 'ks', pValue: 1e-9 }] },
      thresholds,
    );
    const [alert] = decideSignals(drifted, unlabelled(estimate(0.895)), ctx);
    expect(alert?.signal).toBe('driftAlert');
    expect(alert?.payload).toMatchObject({ evidence: { estimatedDrop: expect.closeTo(0.005, 9) as number } });
  });
});
