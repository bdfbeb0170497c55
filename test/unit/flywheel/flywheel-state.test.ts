import { describe, expect, it } from 'vitest';
import { Flywheel } from '../../../src/domain/flywheel/flywheel-state.js';
import { DEFAULT_TRIGGER_POLICY } from '../../../src/domain/policies/trigger-policy.js';
import type { ModelSpec } from '../../../src/domain/model-spec/model-spec.js';

const T0 = Date.parse('2026-11-22T00:00:00Z');
const spec = { id: 'm', trigger: { ...DEFAULT_TRIGGER_POLICY, debounceMs: 0, cooldownMs: 0 } } as unknown as ModelSpec;
const drift = (at: number) => ({ type: 'trigger' as const, trigger: { kind: 'drift' as const, score: 0.9, at } });

describe('Flywheel state holder', () => {
  it('without a spec records triggers and says it waits for one; a spec releases them', () => {
    const fw = Flywheel.create('m', null, DEFAULT_TRIGGER_POLICY);
    const d = fw.apply(drift(T0), T0);
    expect(d.action).toBe('hold');
    expect(d.reason).toMatch(
      /^no model spec yet: 1 trigger \(drift\) max drift 0.9 recorded, acted on when a spec arrives/,
    );
    expect(fw.wakeAt(T0)).toBeNull();
    // The batch keeps the debounce window it opened with (the default 5 min), then starts.
    expect(fw.setSpec(spec, T0 + 1)).toMatchObject({ action: 'gather', until: T0 + 300_000 });
    expect(fw.wakeAt(T0 + 2)).toBe(T0 + 300_000);
    expect(fw.apply({ type: 'tick' }, T0 + 300_000)).toMatchObject({ action: 'start', cycle: 1 });
  });
  it('tracks the cycle in flight, its step and its end; moves the champion on promotion', () => {
    const fw = Flywheel.create('m', spec, DEFAULT_TRIGGER_POLICY);
    fw.apply(drift(T0), T0);
    // Decided but not started yet (e.g. across continue-as-new): status says a cycle is due.
    expect(fw.status()).toMatchObject({ inFlight: null, cycleDue: 1, cyclesStarted: 1 });
    const batch = fw.triggerState.running!.batch;
    fw.cycleStarted(1, 'flywheel:m:cycle:1', batch, T0);
    expect(fw.status().cycleDue).toBeNull();
    fw.cycleProgress(1, 'train');
    expect(fw.status().inFlight).toMatchObject({ cycle: 1, step: 'train' });
    fw.cycleFinished(
      {
        cycle: 1,
        workflowId: 'flywheel:m:cycle:1',
        outcome: 'promoted',
        reason: 'ok',
        trigger: 'drift',
        startedAt: T0,
        endedAt: T0 + 5,
        candidateVersion: 3,
      },
      T0 + 5,
    );
    const s = fw.status();
    expect(s.inFlight).toBeNull();
    expect(s.cycleDue).toBeNull();
    expect(s.champion).toEqual({ version: 3, since: T0 + 5, promotedAt: T0 + 5 });
    expect(s.totals).toEqual({ cycles: 1, promoted: 1, notPromoted: 0 });
  });
  it('learns the champion from a finished report when the cycle did not promote (no progress signals carry it)', () => {
    const fw = Flywheel.create('m', spec, DEFAULT_TRIGGER_POLICY);
    fw.apply(drift(T0), T0);
    fw.cycleStarted(1, 'flywheel:m:cycle:1', fw.triggerState.running!.batch, T0);
    const summary = {
      cycle: 1,
      workflowId: 'flywheel:m:cycle:1',
      outcome: 'gateRejected' as const,
      reason: 'gate rejected v4',
      trigger: 'drift',
      startedAt: T0,
      endedAt: T0 + 5,
      candidateVersion: 4,
    };
    fw.cycleFinished(summary, T0 + 5, 2);
    expect(fw.status().champion).toEqual({ version: 2, since: T0 + 5 });
  });
  it('counts rejected inputs and keeps only the recent ones', () => {
    const fw = Flywheel.create('m', spec, DEFAULT_TRIGGER_POLICY);
    for (let i = 0; i < 15; i++) fw.rejectInput('driftAlert', `bad ${i}`, T0 + i);
    expect(fw.status().rejectedInputs.count).toBe(15);
    expect(fw.status().rejectedInputs.recent.map((r) => r.error)[0]).toBe('bad 5');
  });
  it('round-trips through JSON (continue-as-new) without losing pending triggers', () => {
    const fw = Flywheel.create(
      'm',
      { ...spec, trigger: { ...spec.trigger, debounceMs: 60_000 } },
      DEFAULT_TRIGGER_POLICY,
    );
    fw.apply(drift(T0), T0);
    fw.apply(drift(T0 + 1), T0 + 1);
    const copy = Flywheel.restore(JSON.parse(JSON.stringify(fw.snapshot())));
    expect(copy.status()).toEqual(fw.status());
    expect(copy.wakeAt(T0 + 2)).toBe(T0 + 60_000);
    expect(copy.apply({ type: 'tick' }, T0 + 60_000)).toMatchObject({ action: 'start', batch: { count: 2 } });
  });
});
