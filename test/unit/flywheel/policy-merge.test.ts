import { describe, expect, it } from 'vitest';
import { checkPolicyUpdate } from '../../../src/domain/flywheel/policy-change.js';
import { parseModelSpec } from '../../../src/domain/model-spec/model-spec.js';

const spec = parseModelSpec({
  id: 'm',
  task: 'binaryClassification',
  features: [{ name: 'f1', type: 'numeric' }],
  label: { name: 'y' },
  dataSource: { kind: 'synthetic', generator: { name: 'sea' } },
  trainer: { kind: 'builtin' },
  approval: { mode: 'manual', approvers: ['ana', 'bo'], timeoutMs: '2h' },
  rollout: { strategy: 'canary', steps: [{ weight: 10, bakeMs: '10m' }], guards: { maxErrorRate: 0.05 } },
  trigger: { debounceMs: '10m', floors: { drift: 0.25, performance: 0.05 }, budget: { maxCycles: 2 } },
});

const specAfter = (payload: Record<string, unknown>) => {
  const c = checkPolicyUpdate(spec, payload);
  if (!c.ok) throw new Error(c.error);
  return c.spec;
};

describe('updatePolicy with merge: partial sections laid over the spec in force', () => {
  it('changes only the fields given: a new cooldown keeps the floors, budget and debounce', () => {
    const after = specAfter({ merge: true, trigger: { cooldownMs: '2h', floors: { drift: 0.4 } } });
    expect(after.trigger).toEqual({
      debounceMs: 600_000,
      cooldownMs: 7_200_000,
      floors: { drift: 0.4, performance: 0.05, newData: 1000 },
      budget: { maxCycles: 2, windowMs: 86_400_000 },
      harm: { enabled: true, minImportantDriftShare: 0.1, minMeasuredDrop: 0.02, minEstimatedDrop: 0.02 },
    });
    expect(after.approval).toEqual(spec.approval);
  });

  it('without merge a section still replaces the one in force (the original meaning, kept for recorded histories)', () => {
    const after = specAfter({ trigger: { cooldownMs: '2h' } });
    expect(after.trigger.floors).toEqual({ drift: 0.3, performance: 0.02, newData: 1000 });
    expect(after.trigger.budget.maxCycles).toBe(4);
  });

  it('replaces lists as a whole: approvers given are the approvers', () => {
    const after = specAfter({ merge: true, approval: { approvers: ['cy'] } });
    expect(after.approval).toMatchObject({ mode: 'manual', approvers: ['cy'], timeoutMs: 7_200_000 });
  });

  it('merges guards into the canary in force, but a new rollout strategy replaces the section', () => {
    const canary = specAfter({ merge: true, rollout: { guards: { maxP95LatencyMs: 100 } } }).rollout;
    expect(canary).toMatchObject({
      strategy: 'canary',
      steps: [{ weight: 10, bakeMs: 600_000 }],
      guards: { maxErrorRate: 0.05, maxP95LatencyMs: 100 },
    });
    const direct = specAfter({ merge: true, rollout: { strategy: 'direct' } }).rollout;
    expect(direct.strategy).toBe('direct');
    expect(direct.guards.maxErrorRate).toBe(0.02);
  });

  it('still refuses a bad merged field, naming it', () => {
    const c = checkPolicyUpdate(spec, { merge: true, trigger: { floors: { drift: -1 } } });
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.refusal.field).toBe('trigger.floors.drift');
  });
});
