import { describe, expect, it } from 'vitest';
import { Flywheel } from '../../../src/domain/flywheel/flywheel-state.js';
import { applyPolicyChange, changedSections, checkPolicyUpdate } from '../../../src/domain/flywheel/policy-change.js';
import { parseModelSpec } from '../../../src/domain/model-spec/model-spec.js';
import { DEFAULT_TRIGGER_POLICY } from '../../../src/domain/policies/trigger-policy.js';

const T0 = Date.parse('2026-11-22T00:00:00Z');
const spec = parseModelSpec({
  id: 'm',
  task: 'binaryClassification',
  features: [{ name: 'f1', type: 'numeric' }],
  label: { name: 'y' },
  dataSource: { kind: 'synthetic', generator: { name: 'sea' } },
  trainer: { kind: 'builtin' },
  rollout: { strategy: 'canary', steps: [{ weight: 100, bakeMs: '10m' }] },
});

describe('policy change check shared by the updatePolicy signal and update', () => {
  it('refuses a bad field with its path; the signal keeps recording the text it always did', () => {
    const c = checkPolicyUpdate(spec, { trigger: { debounceMs: -1 } });
    expect(c).toEqual({
      ok: false,
      error: 'trigger.debounceMs: duration must be a non-negative number of ms, got -1',
      refusal: {
        code: 'invalidPayload',
        field: 'trigger.debounceMs',
        message:
          'invalid policy update: trigger.debounceMs: duration must be a non-negative number of ms, got -1; fix the field(s) named and send the update again',
      },
    });
  });

  it('refuses a partial policy without a spec, and says to send the spec', () => {
    const c = checkPolicyUpdate(null, { rollout: { strategy: 'direct' } });
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.error).toBe('the flywheel has no model spec yet: send the whole spec in `spec`');
    expect(c.refusal).toMatchObject({ code: 'noSpec', field: 'spec' });
    expect(c.refusal.message).toMatch(
      /^invalid policy update: spec: the flywheel has no model spec yet.*send the whole model spec in `spec`/,
    );
  });

  it('refuses a spec that does not parse in one line naming every field', () => {
    const c = checkPolicyUpdate(spec, { spec: { id: 'm' } });
    expect(c.ok).toBe(false);
    if (c.ok) return;
    expect(c.error).toMatch(/^Invalid model spec in updatePolicy \(5 problems\):\n {2}task: Required/);
    expect(c.refusal).toEqual({
      code: 'invalidSpec',
      field: 'spec.task',
      message:
        'invalid policy update: spec is invalid: task: Required; features: Required; label: Required; dataSource: Required; trainer: Required; fix these fields and send the update again',
    });
  });

  it('merges a policy into the current spec with its defaults filled in', () => {
    const c = checkPolicyUpdate(spec, { approval: { mode: 'manual', approvers: ['ana'] } });
    expect(c.ok && c.spec.approval).toMatchObject({ mode: 'manual', approvers: ['ana'], onTimeout: 'reject' });
    expect(c.ok && c.spec.trigger).toEqual(spec.trigger);
  });

  it('applies a change with the revision, sections and decision; the same spec again is unchanged', () => {
    const fw = Flywheel.create('m', spec, DEFAULT_TRIGGER_POLICY);
    const check = checkPolicyUpdate(fw.spec, { rollout: { strategy: 'direct' }, by: 'ana' });
    if (!check.ok) throw new Error(check.refusal.message);
    const change = applyPolicyChange(fw, check, T0);
    expect(change).toMatchObject({
      modelId: 'm',
      outcome: 'changed',
      specRevision: 2,
      changed: ['rollout'],
      by: 'ana',
      decision: { action: 'idle', at: T0 },
    });
    expect(applyPolicyChange(fw, check, T0 + 1)).toEqual({
      modelId: 'm',
      outcome: 'unchanged',
      specRevision: 2,
      changed: [],
      by: 'ana',
    });
    expect(fw.status().specRevision).toBe(2);
  });

  it('lists every section for a first spec', () => {
    expect(changedSections(null, spec)).toEqual(Object.keys(spec));
  });
});
