import { describe, expect, it } from 'vitest';
import { TriggerPolicySchema } from '../../../src/domain/policies/trigger-policy.js';
import {
  assessDriftHarm,
  HarmPolicySchema,
  importantShareOf,
  type DriftHarmEvidence,
} from '../../../src/domain/trigger/harm-policy.js';

const policy = HarmPolicySchema.parse({});
/** SEA-like importance: f1 and f2 decide the label, f3 is noise. */
const importance = { f1: 0.21, f2: 0.18, f3: 0.004 };
const evidence = (e: Partial<DriftHarmEvidence>): DriftHarmEvidence => ({
  driftedFeatures: ['f3'],
  importance,
  measuredDrop: null,
  estimatedDrop: null,
  ...e,
});

describe('harm policy defaults', () => {
  it('is part of the trigger section with documented defaults', () => {
    expect(TriggerPolicySchema.parse({}).harm).toEqual({
      enabled: true,
      minImportantDriftShare: 0.1,
      minMeasuredDrop: 0.02,
      minEstimatedDrop: 0.02,
    });
  });
  it('refuses a share above 1 and unknown fields, naming them', () => {
    const share = HarmPolicySchema.safeParse({ minImportantDriftShare: 1.5 });
    expect(share.success).toBe(false);
    expect(share.error?.issues[0]?.path).toEqual(['minImportantDriftShare']);
    const extra = TriggerPolicySchema.safeParse({ harm: { minShare: 0.2 } });
    expect(extra.success).toBe(false);
    expect(extra.error?.issues[0]?.message).toMatch(/minShare/);
  });
});

describe('importantShareOf', () => {
  it('sums the magnitudes of the drifted features over the total', () => {
    expect(importantShareOf(['f1'], { f1: 0.3, f2: -0.1, f3: 0.6 })).toBeCloseTo(0.3);
    expect(importantShareOf(['f2', 'f2'], { f1: 0.3, f2: -0.1, f3: 0.6 })).toBeCloseTo(0.1);
    expect(importantShareOf(['unknown'], { f1: 1 })).toBe(0);
  });
  it('is unknown without a record or when the record sums to zero', () => {
    expect(importantShareOf(['f1'], null)).toBeNull();
    expect(importantShareOf(['f1'], { f1: 0, f2: 0 })).toBeNull();
  });
});

describe('assessDriftHarm', () => {
  it('drift in an irrelevant feature with no drop is benign, with the numbers', () => {
    const a = assessDriftHarm(evidence({ measuredDrop: 0.004 }), policy);
    expect(a.harmful).toBe(false);
    expect(a.basis).toBe('benign');
    expect(a.importantShare).toBeCloseTo(0.004 / 0.394);
    expect(a.reason).toBe(
      "benign drift: drifted features hold 1% of the champion's importance < 10%; measured drop 0.004 < 0.02; no estimate",
    );
  });
  it('drift in features that matter is harmful', () => {
    const a = assessDriftHarm(evidence({ driftedFeatures: ['f1', 'f3'] }), policy);
    expect(a.harmful).toBe(true);
    expect(a.basis).toBe('importance');
    expect(a.reason).toBe("drifted features hold 54.3% of the champion's importance ≥ 10%");
  });
  it('a measured drop makes drift harmful whatever drifted', () => {
    const a = assessDriftHarm(evidence({ measuredDrop: 0.05, estimatedDrop: 0.001 }), policy);
    expect(a).toMatchObject({ harmful: true, basis: 'measuredDrop', measuredDrop: 0.05 });
    expect(a.reason).toBe('measured drop 0.05 on labels ≥ 0.02');
  });
  it('an estimated drop makes drift harmful before labels arrive', () => {
    const a = assessDriftHarm(evidence({ estimatedDrop: 0.03 }), policy);
    expect(a).toMatchObject({ harmful: true, basis: 'estimatedDrop', estimatedDrop: 0.03 });
    expect(a.reason).toBe('estimated drop 0.03 ≥ 0.02');
  });
  it('unknown importance counts as harmful (harm cannot be ruled out)', () => {
    const a = assessDriftHarm(evidence({ importance: null, measuredDrop: 0 }), policy);
    expect(a).toMatchObject({ harmful: true, basis: 'importanceUnknown', importantShare: null });
    expect(a.reason).toBe("champion's feature importance unknown: harm cannot be ruled out");
  });
  it('an alert that names no features counts as harmful (what drifted is unknown)', () => {
    const a = assessDriftHarm(evidence({ driftedFeatures: [] }), policy);
    expect(a).toMatchObject({ harmful: true, basis: 'importanceUnknown' });
  });
  it('disabled: every drift counts, as before the rule', () => {
    const a = assessDriftHarm(evidence({}), HarmPolicySchema.parse({ enabled: false }));
    expect(a).toMatchObject({ harmful: true, basis: 'disabled' });
    expect(a.reason).toBe('harm rule disabled (trigger.harm.enabled: false)');
  });
  it('thresholds are inclusive and configurable', () => {
    const strict = HarmPolicySchema.parse({ minImportantDriftShare: 0.6 });
    expect(assessDriftHarm(evidence({ driftedFeatures: ['f1', 'f3'] }), strict).harmful).toBe(false);
    const atShare = HarmPolicySchema.parse({ minImportantDriftShare: 0.5 });
    expect(assessDriftHarm(evidence({ driftedFeatures: ['f1'], importance: { f1: 1, f2: 1 } }), atShare).harmful).toBe(
      true,
    );
  });
});
