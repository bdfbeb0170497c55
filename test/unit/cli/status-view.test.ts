import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../../src/cli/format/status-view.js';
import { Flywheel } from '../../../src/domain/flywheel/flywheel-state.js';
import type { ModelSpec } from '../../../src/domain/model-spec/model-spec.js';
import { DEFAULT_TRIGGER_POLICY } from '../../../src/domain/policies/trigger-policy.js';

const T0 = Date.parse('2026-11-22T00:00:00Z');
const spec = { id: 'm', trigger: { ...DEFAULT_TRIGGER_POLICY, debounceMs: 0, cooldownMs: 0 } } as unknown as ModelSpec;

const line = (text: string, label: string) => text.split('\n').find((l) => l.trimStart().startsWith(label)) ?? '';

describe('flywheel status view', () => {
  it('says none, then the cycle that is due, then the cycle in flight with its step', () => {
    const fw = Flywheel.create('m', spec, DEFAULT_TRIGGER_POLICY);
    expect(line(renderStatus(fw.status(), {}, T0), 'cycle in flight')).toMatch(/none$/);
    fw.apply({ type: 'trigger', trigger: { kind: 'drift', score: 0.9, at: T0 } }, T0);
    expect(line(renderStatus(fw.status(), {}, T0), 'cycle in flight')).toMatch(/#1 due/);
    fw.cycleStarted(1, 'flywheel:m:cycle:1', fw.triggerState.running!.batch, T0);
    fw.cycleProgress(1, 'approval');
    const text = renderStatus(fw.status(), {}, T0);
    expect(line(text, 'cycle in flight')).toMatch(/#1 flywheel:m:cycle:1, step approval/);
    expect(line(text, 'awaiting approval')).toMatch(/flywheel approve m --as <approver>/);
  });
});
