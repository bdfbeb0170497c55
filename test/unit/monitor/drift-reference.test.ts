import { describe, expect, it } from 'vitest';
import { modelSpecSchema } from '../../../src/domain/model-spec/model-spec.js';
import { chooseDriftReference, replacedAnotherChampion } from '../../../src/domain/monitor/drift-reference.js';

const facts = { atMs: 100_000, sinceMs: 50_000, driftWindowMs: 20_000, promoted: true };

describe('drift reference after a promotion', () => {
  it('championTraining keeps the training reference', () => {
    expect(chooseDriftReference('championTraining', facts)).toEqual({ kind: 'training' });
  });
  it("recentProduction uses the champion's first drift window in service once it has ended", () => {
    expect(chooseDriftReference('recentProduction', facts)).toEqual({
      kind: 'production',
      fromMs: 50_000,
      toMs: 70_000,
    });
    expect(chooseDriftReference('recentProduction', { ...facts, atMs: 60_000 })).toEqual({
      kind: 'filling',
      readyAtMs: 70_000,
    });
  });
  it('the first champion (no promotion yet) keeps its training reference', () => {
    expect(chooseDriftReference('recentProduction', { ...facts, promoted: false })).toEqual({ kind: 'training' });
  });
  it('a promotion is a routing history with another champion before', () => {
    expect(replacedAnotherChampion([{ championVersion: 1 }, { championVersion: 2 }], 2)).toBe(true);
    expect(replacedAnotherChampion([{ championVersion: 1 }], 1)).toBe(false);
  });
  it('is the spec option monitor.referenceAfterPromotion, default championTraining', () => {
    const spec = (monitor?: unknown) =>
      modelSpecSchema.safeParse({
        id: 'm',
        task: 'binaryClassification',
        features: [{ name: 'f1', type: 'numeric' }],
        label: { name: 'y' },
        dataSource: { kind: 'csv', path: 'x.csv' },
        trainer: { kind: 'builtin' },
        ...(monitor ? { monitor } : {}),
      });
    const parsed = spec();
    expect(parsed.success && parsed.data.monitor).toEqual({ referenceAfterPromotion: 'championTraining' });
    const bad = spec({ referenceAfterPromotion: 'lastWeek' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['monitor', 'referenceAfterPromotion']);
  });
});
