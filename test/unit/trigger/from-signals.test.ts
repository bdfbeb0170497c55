import { describe, expect, it } from 'vitest';
import {
  DriftAlertSchema,
  PerformanceReportSchema,
  RetrainRequestSchema,
  UpdatePolicySchema,
} from '../../../src/domain/signals.js';
import {
  driftTrigger,
  newDataTrigger,
  performanceTrigger,
  retrainTrigger,
} from '../../../src/domain/trigger/from-signals.js';

const AT = 1_000;

describe('signal payloads → triggers', () => {
  it('drift: a numeric score wins over a severity label; a label alone maps to a score', () => {
    expect(driftTrigger(DriftAlertSchema.parse({ score: 0.42, severity: 'critical', source: 'am' }), AT)).toEqual({
      kind: 'drift',
      at: AT,
      score: 0.42,
      source: 'am',
    });
    expect(driftTrigger(DriftAlertSchema.parse({ severity: 'warning' }), AT).score).toBe(0.6);
    expect(driftTrigger(DriftAlertSchema.parse({}), AT).score).toBeUndefined();
  });
  it('performance: degradation from value and baseline when no score is given', () => {
    const t = performanceTrigger(PerformanceReportSchema.parse({ metric: 'accuracy', value: 0.82, baseline: 0.9 }), AT);
    expect(t.score).toBeCloseTo(0.08);
    expect(t.detail).toBe('accuracy 0.82 vs baseline 0.9');
  });
  it('newData: rows are the score', () => {
    expect(newDataTrigger({ rows: 5000 }, AT).score).toBe(5000);
  });
  it('retrain: from a schedule it is a schedule trigger, from a person a manual one that may force', () => {
    expect(retrainTrigger(RetrainRequestSchema.parse({ scheduleId: 'retrain:m' }), AT)).toEqual({
      kind: 'schedule',
      at: AT,
      source: 'schedule:retrain:m',
    });
    expect(retrainTrigger(RetrainRequestSchema.parse({ requestedBy: 'ana', force: true }), AT)).toEqual({
      kind: 'manual',
      at: AT,
      requestedBy: 'ana',
      force: true,
    });
  });
  it('payload schemas name the bad field', () => {
    expect(DriftAlertSchema.safeParse({ score: 3 }).error?.issues[0]).toMatchObject({ path: ['score'] });
    expect(UpdatePolicySchema.safeParse({ by: 'ana' }).error?.issues[0]?.message).toBe(
      'updatePolicy needs at least one of trigger, approval, rollout or spec',
    );
    expect(UpdatePolicySchema.safeParse({ trigger: { cooldownMs: 'soon' } }).error?.issues[0]?.path).toEqual([
      'trigger',
      'cooldownMs',
    ]);
  });
});
