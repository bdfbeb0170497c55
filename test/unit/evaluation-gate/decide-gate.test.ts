import { describe, expect, it } from 'vitest';
import { decideGate, summarizeRejection, type GateInput } from '../../../src/domain/evaluation-gate/index.js';
import { gatePolicySchema, type GatePolicyInput } from '../../../src/domain/policies/gate-policy.js';

const policy = (p: GatePolicyInput = {}) => gatePolicySchema.parse(p);

const base = (over: Partial<GateInput> = {}): GateInput => ({
  policy: policy({
    primaryMetric: 'rocAuc',
    minImprovement: 0.01,
    significance: { test: 'pairedBootstrap', alpha: 0.05 },
  }),
  challenger: { rocAuc: 0.9, accuracy: 0.85, logLoss: 0.3 },
  champion: { rocAuc: 0.85, accuracy: 0.84, logLoss: 0.35 },
  significance: { test: 'pairedBootstrap', pValue: 0.001, estimate: 0.05, ciLow: 0.03, ciHigh: 0.07 },
  sizeBytes: 2_000,
  latencyP95Ms: 0.05,
  ...over,
});

const find = (v: ReturnType<typeof decideGate>, code: string, subject?: string) => {
  const r = v.reasons.find((x) => x.code === code && (subject === undefined || x.subject === subject));
  if (!r) throw new Error(`no reason ${code} ${subject ?? ''} in ${JSON.stringify(v.reasons)}`);
  return r;
};

describe('decideGate with a champion', () => {
  it('promotes a significant improvement and reports every check as passed', () => {
    const v = decideGate(base());
    expect(v.decision).toBe('promote');
    expect(v.reasons.map((r) => r.code)).toEqual([
      'primary_improvement',
      'significance',
      'model_size',
      'prediction_latency',
    ]);
    expect(v.reasons.every((r) => r.status === 'passed')).toBe(true);
    const imp = find(v, 'primary_improvement');
    expect(imp.observed).toBeCloseTo(0.05);
    expect(imp.limit).toBe(0.01);
    expect(imp.message).toMatch(/rocAuc improved by 0\.05 \(challenger 0\.9 vs champion 0\.85\)/);
  });

  it('rejects an improvement smaller than minImprovement, saying by how much', () => {
    const v = decideGate(base({ challenger: { rocAuc: 0.855 } }));
    expect(v.decision).toBe('reject');
    const imp = find(v, 'primary_improvement');
    expect(imp).toMatchObject({ status: 'failed', passed: false, limit: 0.01 });
    expect(imp.observed).toBeCloseTo(0.005);
    expect(summarizeRejection(v)).toMatch(/^primary_improvement: rocAuc improved by 0\.005/);
  });

  it('rejects a challenger that is worse, with "got worse" in the message', () => {
    const v = decideGate(
      base({ challenger: { rocAuc: 0.8 }, significance: { test: 'pairedBootstrap', pValue: 0.99 } }),
    );
    expect(v.decision).toBe('reject');
    expect(find(v, 'primary_improvement').message).toMatch(/got worse by 0\.05/);
    expect(find(v, 'significance').status).toBe('failed');
  });

  it('rejects an improvement that is not significant at alpha', () => {
    const v = decideGate(base({ significance: { test: 'pairedBootstrap', pValue: 0.2 } }));
    expect(v.decision).toBe('reject');
    const sig = find(v, 'significance');
    expect(sig).toMatchObject({ status: 'failed', observed: 0.2, limit: 0.05 });
    expect(sig.message).toMatch(/p-value .* is 0\.2; the policy requires p < 0\.05/);
    expect(find(v, 'primary_improvement').status).toBe('passed');
  });

  it('rejects when the configured test was not run or a different test was run', () => {
    expect(find(decideGate(base({ significance: null })), 'significance').message).toMatch(/was not run/);
    const other = decideGate(base({ significance: { test: 'delong', pValue: 0.001 } }));
    expect(other.decision).toBe('reject');
    expect(find(other, 'significance').message).toMatch(/asks for pairedBootstrap but the evaluation ran delong/);
  });

  it('skips significance when the policy says none', () => {
    const v = decideGate(
      base({ policy: policy({ minImprovement: 0.01, significance: { test: 'none' } }), significance: null }),
    );
    expect(v.decision).toBe('promote');
    expect(find(v, 'significance')).toMatchObject({ status: 'skipped', passed: true });
  });

  it('judges lower-is-better primary metrics in the right direction', () => {
    const p = policy({ primaryMetric: 'logLoss', minImprovement: 0.02, significance: { test: 'none' } });
    expect(decideGate(base({ policy: p })).decision).toBe('promote'); // 0.35 -> 0.30
    const worse = decideGate(base({ policy: p, challenger: { logLoss: 0.4 } }));
    expect(worse.decision).toBe('reject');
    expect(find(worse, 'primary_improvement').observed).toBeCloseTo(-0.05);
  });

  it('fails a guard metric degraded beyond its tolerance and passes one within it', () => {
    const p = policy({
      minImprovement: 0.01,
      significance: { test: 'none' },
      guards: [
        { metric: 'accuracy', tolerance: 0.005 },
        { metric: 'logLoss', tolerance: 0.1 },
      ],
    });
    const v = decideGate(base({ policy: p, challenger: { rocAuc: 0.9, accuracy: 0.82, logLoss: 0.4 } }));
    expect(v.decision).toBe('reject');
    const acc = find(v, 'guard_metric', 'accuracy');
    expect(acc.status).toBe('failed');
    expect(acc.observed).toBeCloseTo(0.02);
    expect(acc.message).toMatch(/is worse by 0\.02; the policy tolerates at most 0\.005/);
    expect(find(v, 'guard_metric', 'logLoss').status).toBe('passed');
  });

  it('fails a guard whose metric was not computed', () => {
    const p = policy({
      significance: { test: 'none' },
      minImprovement: 0,
      guards: [{ metric: 'f1', tolerance: 0.01 }],
    });
    const r = find(decideGate(base({ policy: p })), 'guard_metric', 'f1');
    expect(r).toMatchObject({ status: 'failed', observed: null });
    expect(r.message).toMatch(/f1 is missing for the challenger/);
  });

  it('checks per-slice drops, skipping slices that are too small', () => {
    const p = policy({ significance: { test: 'none' }, slices: [{ column: 'region', maxDrop: 0.02, minRows: 50 }] });
    const v = decideGate(
      base({
        policy: p,
        slices: [
          { column: 'region', value: 'north', rows: 400, challenger: 0.92, champion: 0.86 },
          { column: 'region', value: 'south', rows: 300, challenger: 0.8, champion: 0.85 },
          { column: 'region', value: 'tiny', rows: 10, challenger: 0.1, champion: 0.9 },
        ],
      }),
    );
    expect(v.decision).toBe('reject');
    expect(find(v, 'slice_drop', 'slice region=north').status).toBe('passed');
    const south = find(v, 'slice_drop', 'slice region=south');
    expect(south.status).toBe('failed');
    expect(south.observed).toBeCloseTo(0.05);
    expect(find(v, 'slice_drop', 'slice region=tiny')).toMatchObject({ status: 'skipped' });
    expect(find(v, 'slice_drop', 'slice region=tiny').message).toMatch(/only 10 held-out rows/);
  });

  it('fails a slice limit when no slice metrics were computed', () => {
    const p = policy({ significance: { test: 'none' }, slices: [{ column: 'region', maxDrop: 0.02 }] });
    const r = find(decideGate(base({ policy: p })), 'slice_drop');
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/no slice metrics were computed for column region/);
  });

  it('fails fairness gaps above the limit and missing fairness evidence', () => {
    const p = policy({
      significance: { test: 'none' },
      fairness: [
        { groupColumn: 'sex', maxDemographicParityDiff: 0.1, maxEqualOpportunityDiff: 0.1 },
        { groupColumn: 'age_band', maxDemographicParityDiff: 0.2 },
      ],
    });
    const v = decideGate(
      base({ policy: p, fairness: [{ groupColumn: 'sex', demographicParityDiff: 0.15, equalOpportunityDiff: 0.04 }] }),
    );
    expect(v.decision).toBe('reject');
    expect(find(v, 'demographic_parity', 'sex')).toMatchObject({ status: 'failed', observed: 0.15, limit: 0.1 });
    expect(find(v, 'equal_opportunity', 'sex')).toMatchObject({ status: 'passed', observed: 0.04 });
    expect(find(v, 'demographic_parity', 'age_band').message).toMatch(/was not computed/);
  });

  it('rejects an oversized model and a slow one', () => {
    const p = policy({ significance: { test: 'none' }, maxModelSizeBytes: 1000, maxPredictionLatencyP95Ms: 1 });
    const v = decideGate(base({ policy: p, sizeBytes: 5000, latencyP95Ms: 3.5 }));
    expect(v.decision).toBe('reject');
    expect(find(v, 'model_size')).toMatchObject({ status: 'failed', observed: 5000, limit: 1000 });
    expect(find(v, 'prediction_latency')).toMatchObject({ status: 'failed', observed: 3.5, limit: 1 });
    expect(find(v, 'prediction_latency').message).toBe(
      'p95 prediction latency is 3.5 ms; the policy allows at most 1 ms',
    );
    expect(find(v, 'primary_improvement').status).toBe('passed');
  });

  it('applies absolute floors to challengers too', () => {
    const p = policy({ significance: { test: 'none' }, absoluteFloors: { rocAuc: 0.95 } });
    const v = decideGate(base({ policy: p }));
    expect(v.decision).toBe('reject');
    expect(find(v, 'absolute_floor', 'rocAuc').message).toBe('rocAuc is 0.9; the policy requires at least 0.95');
  });
});

describe('decideGate for the first model (no champion)', () => {
  const first = (over: Partial<GateInput> = {}) =>
    base({
      champion: null,
      significance: null,
      policy: policy({
        absoluteFloors: { rocAuc: 0.7, logLoss: 0.5 },
        slices: [{ column: 'region', maxDrop: 0.01 }],
        guards: [{ metric: 'accuracy', tolerance: 0 }],
      }),
      ...over,
    });

  it('promotes on floors alone, reporting comparisons as skipped', () => {
    const v = decideGate(first());
    expect(v.decision).toBe('promote');
    for (const code of ['primary_improvement', 'significance', 'guard_metric', 'slice_drop']) {
      expect(find(v, code)).toMatchObject({ status: 'skipped', passed: true });
      expect(find(v, code).message).toMatch(/no champion yet/);
    }
    expect(find(v, 'absolute_floor', 'rocAuc').status).toBe('passed');
    expect(find(v, 'absolute_floor', 'logLoss').message).toBe('logLoss is 0.3; the policy requires at most 0.5');
  });

  it('rejects a first model below a floor', () => {
    const v = decideGate(first({ challenger: { rocAuc: 0.65, logLoss: 0.3 } }));
    expect(v.decision).toBe('reject');
    expect(summarizeRejection(v)).toBe('absolute_floor: rocAuc is 0.65; the policy requires at least 0.7');
  });

  it('rejects a first model whose floor metric was not computed', () => {
    const v = decideGate(first({ challenger: { rocAuc: 0.9 } }));
    expect(v.decision).toBe('reject');
    expect(find(v, 'absolute_floor', 'logLoss')).toMatchObject({ status: 'failed', observed: null });
  });

  it('a champion that cannot be served: floors only, and every skipped comparison says why', () => {
    const v = decideGate(first({ championUnservable: { version: 3, kind: 'artifact integrity' } }));
    expect(v.decision).toBe('promote');
    expect(find(v, 'champion_unservable')).toMatchObject({
      status: 'skipped',
      subject: 'champion v3',
      message: 'champion v3 cannot be served (artifact integrity): the challenger is judged on absolute floors only',
    });
    for (const code of ['primary_improvement', 'significance', 'guard_metric', 'slice_drop']) {
      expect(find(v, code).message).toMatch(/^champion v3 cannot be served \(artifact integrity\): /);
    }
    expect(
      decideGate(
        first({
          championUnservable: { version: 3, kind: 'artifact integrity' },
          challenger: { rocAuc: 0.65, logLoss: 0.3 },
        }),
      ).decision,
    ).toBe('reject');
  });

  it('still applies size and latency to a first model', () => {
    const v = decideGate(first({ sizeBytes: 10 ** 9 }));
    expect(v.decision).toBe('reject');
    expect(find(v, 'model_size').status).toBe('failed');
  });
});

describe('gatePolicySchema', () => {
  it('fills sensible defaults', () => {
    const p = policy();
    expect(p).toMatchObject({
      primaryMetric: 'rocAuc',
      minImprovement: 0.005,
      significance: { test: 'pairedBootstrap', alpha: 0.05 },
    });
  });

  it('refuses mixed-task metrics and mismatched tests with the field path', () => {
    const bad = gatePolicySchema.safeParse({
      primaryMetric: 'rocAuc',
      guards: [{ metric: 'rmse', tolerance: 1 }],
      significance: { test: 'mcnemar' },
    });
    expect(bad.success).toBe(false);
    const issues = bad.success ? [] : bad.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues).toContain(
      'guards.0.metric: metric rmse is a regression metric but the primary metric rocAuc is binaryClassification; use metrics of one task',
    );
    expect(issues.some((i) => i.startsWith('significance.test: mcnemar judges accuracy'))).toBe(true);
  });

  it('refuses an unknown metric naming the allowed ones', () => {
    const bad = gatePolicySchema.safeParse({ primaryMetric: 'auc' });
    expect(bad.success ? '' : bad.error.issues[0]?.message).toMatch(/metric must be one of rocAuc, accuracy/);
  });
});
