import { describe, expect, it } from 'vitest';
import { RolloutPolicySchema, type RolloutPolicyInput } from '../../../src/domain/policies/rollout-policy.js';
import type { LiveMetrics } from '../../../src/domain/records/live-metrics.js';
import { judgeStep, planRollout, type StepEvidence } from '../../../src/domain/rollout/index.js';

const parse = (p: RolloutPolicyInput) => RolloutPolicySchema.parse(p);

describe('planRollout', () => {
  it('canary: one traffic phase per step, weights as fractions', () => {
    const plan = planRollout(parse({ strategy: 'canary' }));
    expect(plan.map((p) => (p.kind === 'traffic' ? [p.weight, p.bakeMs, p.label] : null))).toEqual([
      [0.05, 1_800_000, 'canary 5% for 30m'],
      [0.25, 3_600_000, 'canary 25% for 1h'],
      [1, 1_800_000, 'canary 100% for 30m'],
    ]);
  });
  it('direct has no phases; blue-green switches all traffic for one bake; shadow mirrors first', () => {
    expect(planRollout(parse({ strategy: 'direct' }))).toEqual([]);
    expect(planRollout(parse({ strategy: 'blueGreen', bakeMs: '15m' }))).toEqual([
      { kind: 'traffic', weight: 1, bakeMs: 900_000, label: 'blue-green switch, champion kept warm for 15m' },
    ]);
    const shadow = planRollout(
      parse({ strategy: 'shadow', durationMs: '2h', minAgreement: 0.95, steps: [{ weight: 10, bakeMs: '1h' }] }),
    );
    expect(shadow.map((p) => p.kind)).toEqual(['shadow', 'traffic']);
    expect(shadow[0]).toMatchObject({ bakeMs: 7_200_000, minAgreement: 0.95 });
  });
  it('refuses a canary without steps and weights over 100', () => {
    expect(RolloutPolicySchema.safeParse({ strategy: 'canary', steps: [] }).error?.issues[0]?.message).toBe(
      'canary needs at least one step',
    );
    expect(RolloutPolicySchema.safeParse({ strategy: 'canary', steps: [{ weight: 150 }] }).success).toBe(false);
  });
});

describe('judgeStep', () => {
  const policy = parse({
    strategy: 'canary',
    steps: [{ weight: 5, bakeMs: '30m' }],
    guards: { minSamples: 100, maxErrorRate: 0.02, maxP95LatencyMs: 100, maxAccuracyDrop: 0.02, minLabeled: 30 },
    thinTraffic: { maxExtensions: 2, onExhausted: 'pause' },
  });
  const phase = planRollout(policy)[0]!;
  const m = (over: Partial<LiveMetrics> = {}): LiveMetrics => ({
    count: 500,
    errorRate: 0.001,
    p95LatencyMs: 20,
    labeledCount: 200,
    accuracy: 0.9,
    ...over,
  });
  const ev = (over: Partial<StepEvidence> = {}): StepEvidence => ({
    phase,
    isLast: false,
    guards: policy.guards,
    thinTraffic: policy.thinTraffic,
    extensions: 0,
    bakedMs: 1_800_000,
    candidate: m(),
    champion: m(),
    ...over,
  });

  it('advances when the guards hold, promotes after the last phase', () => {
    expect(judgeStep(ev()).action).toBe('advance');
    expect(judgeStep(ev({ isLast: true }))).toMatchObject({ action: 'promote' });
    expect(judgeStep(ev()).reason).toBe(
      'canary 5% for 30m: guards held (500 predictions, error rate 0.1%, p95 20 ms, accuracy 90%); advancing',
    );
  });
  it('rolls back on each guard, saying which and by how much', () => {
    expect(judgeStep(ev({ candidate: m({ errorRate: 0.05 }) })).reason).toBe(
      'canary 5% for 30m: error rate 5% exceeds 2% over 500 predictions',
    );
    expect(judgeStep(ev({ candidate: m({ p95LatencyMs: 180 }) })).reason).toBe(
      'canary 5% for 30m: p95 latency 180 ms exceeds 100 ms',
    );
    expect(judgeStep(ev({ candidate: m({ accuracy: 0.85 }) })).reason).toContain(
      "online accuracy 85% trails the champion's 90% by 5%",
    );
  });
  it('does not judge accuracy before enough labels arrive', () => {
    expect(judgeStep(ev({ candidate: m({ accuracy: 0.5, labeledCount: 10 }) })).action).toBe('advance');
  });
  it('rolls back a breach even on thin traffic', () => {
    expect(judgeStep(ev({ candidate: m({ count: 10, errorRate: 0.5 }) })).action).toBe('rollback');
  });
  it('extends on thin traffic, then applies onExhausted', () => {
    const thin = m({ count: 40 });
    expect(judgeStep(ev({ candidate: thin }))).toMatchObject({ action: 'extend' });
    expect(judgeStep(ev({ candidate: thin })).reason).toContain(
      'only 40 predictions after 30m (need 100): extending the bake by 30m (extension 1 of 2)',
    );
    expect(judgeStep(ev({ candidate: thin, extensions: 2 }))).toMatchObject({ action: 'pause' });
    const promote = { ...policy.thinTraffic, onExhausted: 'promote' as const };
    expect(judgeStep(ev({ candidate: thin, extensions: 2, thinTraffic: promote })).action).toBe('advance');
    expect(judgeStep(ev({ candidate: thin, extensions: 2, thinTraffic: promote, isLast: true })).action).toBe(
      'promote',
    );
    const capped = { ...policy.thinTraffic, maxBakeMs: 3_000_000 };
    expect(judgeStep(ev({ candidate: thin, thinTraffic: capped })).action).toBe('pause'); // 30m + 30m > 50m cap
  });
  it('judges a shadow phase on the agreement the prediction log measured', () => {
    const shadow = planRollout(parse({ strategy: 'shadow', minAgreement: 0.9 }))[0]!;
    const low = ev({ phase: shadow });
    const judged = judgeStep({ ...low, candidate: { ...low.candidate, shadowCount: 500, agreement: 0.86 } });
    expect(judged).toMatchObject({
      action: 'rollback',
      reason: 'shadow for 1h: shadow agreement 86% is below 90% over 500 mirrored requests',
    });
    expect(judgeStep({ ...low, candidate: { ...low.candidate, shadowCount: 500, agreement: 0.97 } }).action).not.toBe(
      'rollback',
    );
  });

  it('a candidate the gateway refused is a breach, never thin traffic, whatever onExhausted says', () => {
    const promote = { ...policy.thinTraffic, onExhausted: 'promote' as const };
    const refusals = {
      count: 3,
      kind: 'artifact integrity' as const,
      message: 'artifact x is corrupt or tampered',
      lastAtMs: 1,
    };
    const judged = judgeStep(
      ev({
        candidate: m({ count: 0, labeledCount: 0, accuracy: undefined }),
        candidateVersion: 2,
        extensions: 2,
        thinTraffic: promote,
        refusals,
      }),
    );
    expect(judged).toEqual({
      action: 'rollback',
      unservable: 'artifact integrity',
      reason:
        'canary 5% for 30m: candidate cannot be served: artifact integrity: the gateway refused v2 3 times (last: artifact x is corrupt or tampered)',
    });
    expect(judgeStep(ev({ refusals: { ...refusals, count: 0 } })).action).toBe('advance');
  });

  it('rolls back a shadow phase whose agreement is too low', () => {
    const shadow = planRollout(parse({ strategy: 'shadow', minAgreement: 0.9 }))[0]!;
    expect(judgeStep(ev({ phase: shadow, agreement: 0.8 })).reason).toBe(
      'shadow for 1h: shadow agreement 80% is below 90% over 500 mirrored requests',
    );
  });
});
