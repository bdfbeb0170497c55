import { describe, expect, it } from 'vitest';
import { historyRows, renderCycleSteps, renderHistory } from '../../../src/cli/format/history-rows.js';
import { renderStatus } from '../../../src/cli/format/status-view.js';
import { Flywheel, type FlywheelStatus } from '../../../src/domain/flywheel/flywheel-state.js';
import type { ModelVersion } from '../../../src/domain/records/model-version.js';
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

/** State a forged `cycleFinished {"cycle":1}` left in flywheels before reports were checked, and worse. */
function oddStatus(): FlywheelStatus {
  const fw = Flywheel.create('m', spec, DEFAULT_TRIGGER_POLICY);
  return {
    ...fw.status(),
    champion: { version: 999 } as never,
    inFlight: { cycle: 2, step: 'train' } as never,
    pending: { count: 2, kinds: 'drift', maxScore: { drift: 'high' } } as never,
    decisions: [{ at: Number.NaN, action: 'start' } as never, { at: T0, action: 'idle', reason: 'fine' }],
    recentCycles: [
      { cycle: 1 } as never,
      {
        cycle: 2,
        workflowId: 'flywheel:m:cycle:2',
        outcome: 'promoted',
        reason: 'ok',
        trigger: 'manual',
        startedAt: T0,
        endedAt: T0 + 1,
      },
    ],
  };
}

describe('flywheel status view on odd state', () => {
  it('the state a forged cycleFinished {"cycle":1} left behind renders (was: reading \'replace\' of undefined)', () => {
    const fw = Flywheel.create('m', spec, DEFAULT_TRIGGER_POLICY);
    const text = renderStatus({ ...fw.status(), recentCycles: [{ cycle: 1 } as never] }, {}, T0);
    expect(text).toMatch(/^1\s+\?\s+\?/m);
  });

  it('renders what it can and says which field it cannot show (a forged cycle summary no longer crashes it)', () => {
    const text = renderStatus(oddStatus(), {}, T0);
    expect(line(text, 'model')).toMatch(/m$/);
    expect(line(text, 'champion')).toMatch(/v999 since -$/);
    expect(line(text, 'cycles')).toMatch(/0 finished/);
    expect(text).toMatch(/^2\s+manual\s+promoted/m);
    expect(text).toMatch(/^1\s+\?\s+\?/m); // the forged cycle's row: its missing fields shown as "?"
    expect(line(text, 'pending triggers')).toMatch(/^pending triggers:\s+\(cannot show: /);
  });

  it('prints every field line even when the answer is missing most of them (an older or foreign workflow)', () => {
    const text = renderStatus({ modelId: 'm' } as unknown as FlywheelStatus, {}, T0);
    for (const label of [
      'model',
      'state',
      'spec revision',
      'champion',
      'cycle in flight',
      'pending triggers',
      'triggers',
      'cycles',
      'rejected inputs',
    ]) {
      expect(line(text, label), label).not.toBe('');
    }
    expect(line(text, 'triggers')).toMatch(/\(cannot show: /);
  });

  it('says misconfigured, with the field, and how to repair it', () => {
    const fw = Flywheel.create('m', null, DEFAULT_TRIGGER_POLICY, {
      error: 'spec is invalid: spec.trigger.debounceMs: Invalid duration',
      at: T0,
    });
    const text = renderStatus(fw.status(), {}, T0);
    expect(line(text, 'state')).toMatch(
      /^state:\s+MISCONFIGURED: spec is invalid: spec\.trigger\.debounceMs: Invalid duration/,
    );
    expect(line(text, 'state')).toContain('flywheel policy m --spec <file>');
  });
});

describe('flywheel history on odd state', () => {
  it('builds and renders rows from forged cycles and odd registry manifests without throwing', () => {
    const versions = [
      {
        version: 3,
        stage: 'production',
        createdAt: 'not a time',
        lineage: { cycle: { workflowId: 'flywheel:m:cycle:7' }, trigger: {}, metrics: {}, dataset: {} },
      },
      { version: 4 },
    ] as unknown as ModelVersion[];
    const rows = historyRows(oddStatus(), versions);
    const text = renderHistory(rows, 'accuracy');
    expect(text.split('\n')[0]).toMatch(/^CYCLE\s+STARTED/);
    expect(text).toContain('promoted');
    expect(text).toMatch(/^1\s+-\s+-\s+\?\s+\?/m);
    expect(text).toMatch(/^7\s+-\s+-\s+\?\s+\(registry\) production\s+v3 \(production\)/m);
    expect(rows.some((r) => r.candidateVersion === 4)).toBe(true);
  });

  it('renders a cycle report without steps or with odd steps', () => {
    const text = renderCycleSteps({
      a: { steps: [{ step: 'train' }, null] } as never,
      b: { error: 'not found' },
      c: {} as never,
    });
    expect(text).toContain('a\n');
    expect(text).toMatch(/train/);
    expect(text).toContain('(no report: not found)');
    expect(text).toMatch(/c\n\s+\(no steps recorded\)/);
  });
});
