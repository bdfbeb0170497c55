import { describe, expect, it } from 'vitest';
import {
  decideSignals,
  driftEvidence,
  judgeDrift,
  judgePerformance,
  performanceWindow,
  type DriftFinding,
  type MonitorThresholds,
  type PerformanceFinding,
} from '../../../src/monitor/index.js';
import { DriftAlertSchema, PerformanceReportSchema } from '../../../src/domain/signals.js';

const thresholds: MonitorThresholds = {
  driftFloor: 0.3,
  performanceFloor: 0.02,
  minDriftRows: 200,
  minLabeledRows: 200,
  minDegradationZ: 2.33,
  resignalAfterMs: 60_000,
};

const features = (drifted: string[]) =>
  ['f1', 'f2', 'f3'].map((feature) => ({
    feature,
    drifted: drifted.includes(feature),
    test: 'ks',
    pValue: drifted.includes(feature) ? 1e-9 : 0.4,
  }));

describe('performance window', () => {
  it('ends one label latency before now, so unlabelled recent predictions are left out', () => {
    expect(performanceWindow(100_000, 30_000, 10_000)).toEqual({ fromMs: 60_000, toMs: 90_000 });
  });

  it('never reaches back before the current champion started serving', () => {
    expect(performanceWindow(100_000, 30_000, 10_000, 75_000)).toEqual({ fromMs: 75_000, toMs: 90_000 });
  });

  it('is empty while the champion has served for less than the label latency', () => {
    const w = performanceWindow(100_000, 30_000, 10_000, 95_000);
    expect(w.toMs - w.fromMs).toBe(0);
  });
});

describe('drift judgement', () => {
  const window = { rows: 500, fromMs: 0, toMs: 1 };

  it('flags drift when the share of drifted features reaches the trigger floor', () => {
    const finding = judgeDrift({ ...window, features: features(['f3']) }, thresholds);
    expect(finding.status).toBe('drifted');
    expect(finding.score).toBeCloseTo(1 / 3);
    expect(finding.driftedFeatures).toEqual(['f3']);
    expect(finding.summary).toContain('f3');
  });

  it('stays stable below the floor', () => {
    const finding = judgeDrift({ ...window, features: features(['f3']) }, { ...thresholds, driftFloor: 0.5 });
    expect(finding.status).toBe('stable');
  });

  it('gives no verdict on a quiet window or without a reference profile', () => {
    expect(judgeDrift({ ...window, rows: 50, features: features(['f1', 'f2', 'f3']) }, thresholds).status).toBe(
      'insufficientData',
    );
    expect(judgeDrift({ ...window, features: null }, thresholds).status).toBe('noReference');
  });
});

describe('performance judgement', () => {
  const window = { fromMs: 0, toMs: 1, count: 1000 };

  it('flags a drop beyond the floor and beyond sampling noise', () => {
    const finding = judgePerformance({ ...window, labeledCount: 800, accuracy: 0.7, baseline: 0.89 }, thresholds);
    expect(finding.status).toBe('degraded');
    expect(finding.degradation).toBeCloseTo(0.19);
    expect(finding.z!).toBeGreaterThan(10);
  });

  it('does not read sampling noise in a small window as degradation', () => {
    // 3 points below baseline on 250 labels is within noise (se ≈ 2 points).
    const finding = judgePerformance({ ...window, labeledCount: 250, accuracy: 0.86, baseline: 0.89 }, thresholds);
    expect(finding.status).toBe('ok');
  });

  it('waits for enough labels before judging', () => {
    const finding = judgePerformance({ ...window, labeledCount: 120, accuracy: 0.5, baseline: 0.9 }, thresholds);
    expect(finding.status).toBe('insufficientLabels');
    expect(finding.summary).toContain('120 of 1000');
  });

  it('reports accuracy without a verdict when the champion has no baseline', () => {
    expect(judgePerformance({ ...window, labeledCount: 800, accuracy: 0.7 }, thresholds).status).toBe('noBaseline');
  });
});

describe('signal decision', () => {
  const drifted = judgeDrift({ rows: 500, fromMs: 0, toMs: 1, features: features(['f3']) }, thresholds);
  const degraded = judgePerformance(
    { fromMs: 0, toMs: 1, count: 900, labeledCount: 800, accuracy: 0.7, baseline: 0.89 },
    thresholds,
  );
  const ctx = {
    modelId: 'sea-demo',
    championVersion: 1,
    importance: { f1: 0.55, f2: 0.44, f3: 0.01 },
    nowMs: 1_000_000,
    lastSignals: {},
    thresholds,
  };

  it('signals both kinds with scores the flywheel compares with its floors', () => {
    const signals = decideSignals(drifted, degraded, ctx);
    expect(signals.map((s) => s.signal)).toEqual(['driftAlert', 'performanceReport']);
    const [drift, perf] = signals;
    expect(drift!.payload.score).toBeCloseTo(1 / 3);
    expect(drift!.payload.fingerprint).toBe('monitor:sea-demo:drift:v1');
    expect(perf!.payload.score).toBeCloseTo(0.19);
    expect(perf!.payload).toMatchObject({ metric: 'accuracy', value: 0.7, baseline: 0.89 });
    // The flywheel drops a signal whose payload fails its schema: these must pass.
    expect(DriftAlertSchema.safeParse(drift!.payload).success).toBe(true);
    expect(PerformanceReportSchema.safeParse(perf!.payload).success).toBe(true);
  });

  it('names the version observed and carries the evidence of harm the flywheel decides on', () => {
    const [drift, perf] = decideSignals(drifted, degraded, ctx);
    expect(drift!.payload).toMatchObject({
      observedVersion: 1,
      evidence: { importantShare: 0.01, measuredDrop: expect.closeTo(0.19, 6), estimatedDrop: null },
    });
    expect(perf!.payload.observedVersion).toBe(1);
    const ok: PerformanceFinding = { ...degraded, status: 'ok', degradation: 0.004 };
    expect(driftEvidence(drifted, ok, ctx)).toEqual({ importantShare: 0.01, measuredDrop: 0.004, estimatedDrop: null });
    // No labels for a verdict, no importance recorded: both unknown, never zero.
    const unlabelled: PerformanceFinding = { ...degraded, status: 'insufficientLabels' };
    expect(driftEvidence(drifted, unlabelled, { ...ctx, importance: null })).toEqual({
      importantShare: null,
      measuredDrop: null,
      estimatedDrop: null,
    });
  });

  it('does not repeat a kind signalled within resignalAfterMs, and does after it', () => {
    const recent = decideSignals(drifted, degraded, { ...ctx, lastSignals: { driftAlert: ctx.nowMs - 30_000 } });
    expect(recent.map((s) => s.signal)).toEqual(['performanceReport']);
    const later = decideSignals(drifted, degraded, { ...ctx, lastSignals: { driftAlert: ctx.nowMs - 61_000 } });
    expect(later.map((s) => s.signal)).toEqual(['driftAlert', 'performanceReport']);
  });

  it('sends nothing when nothing crossed a threshold', () => {
    const stable: DriftFinding = { ...drifted, status: 'stable' };
    const ok: PerformanceFinding = { ...degraded, status: 'ok' };
    expect(decideSignals(stable, ok, ctx)).toEqual([]);
  });
});
