import { describe, expect, it } from 'vitest';
import { parseFlywheelInput } from '../../../src/domain/flywheel/flywheel-input.js';
import { Flywheel } from '../../../src/domain/flywheel/flywheel-state.js';
import type { ModelSpec } from '../../../src/domain/model-spec/model-spec.js';
import { DEFAULT_TRIGGER_POLICY } from '../../../src/domain/policies/trigger-policy.js';
import { CycleFinishedSchema, CycleProgressSchema } from '../../../src/domain/signals.js';

const T0 = Date.parse('2026-11-22T00:00:00Z');
const spec = { id: 'm', trigger: { ...DEFAULT_TRIGGER_POLICY, debounceMs: 0, cooldownMs: 0 } } as unknown as ModelSpec;
const WID = 'flywheel:m:cycle:1';

function running(awaitRunId = true): Flywheel {
  const fw = Flywheel.create('m', spec, DEFAULT_TRIGGER_POLICY);
  fw.apply({ type: 'trigger', trigger: { kind: 'manual', at: T0 } }, T0);
  fw.cycleStarted(1, WID, fw.triggerState.running!.batch, T0, awaitRunId);
  return fw;
}

describe('cycle reports are taken only from the child the flywheel started', () => {
  it('accepts its own child, waits while the run id is unknown, rejects other runs, cycles and ids with the reason', () => {
    const fw = running();
    expect(fw.checkCycleReport({ cycle: 1, workflowId: WID, runId: 'r1' })).toEqual({ verdict: 'wait' });
    fw.childStarted(1, 'r1');
    expect(fw.checkCycleReport({ cycle: 1, workflowId: WID, runId: 'r1' })).toEqual({ verdict: 'accept' });
    expect(fw.checkCycleReport({ cycle: 1, workflowId: WID, runId: 'forged' })).toMatchObject({
      verdict: 'reject',
      reason: expect.stringContaining('run forged is not the run of cycle 1'),
    });
    expect(fw.checkCycleReport({ cycle: 2, workflowId: WID, runId: 'r1' })).toMatchObject({
      verdict: 'reject',
      reason: expect.stringContaining('not from the cycle in flight'),
    });
    expect(fw.checkCycleReport({ cycle: 1, workflowId: 'flywheel:x:cycle:1', runId: 'r1' }).verdict).toBe('reject');
  });

  it('the second report of a finished cycle is a duplicate; with nothing in flight anything else is rejected', () => {
    const fw = running();
    fw.childStarted(1, 'r1');
    fw.cycleFinished(
      {
        cycle: 1,
        workflowId: WID,
        runId: 'r1',
        outcome: 'failed',
        reason: 'x',
        trigger: 'manual',
        startedAt: T0,
        endedAt: T0 + 1,
      },
      T0 + 1,
    );
    expect(fw.checkCycleReport({ cycle: 1, workflowId: WID, runId: 'r1' })).toEqual({ verdict: 'duplicate' });
    expect(fw.checkCycleReport({ cycle: 1, workflowId: WID, runId: 'r2' })).toMatchObject({
      verdict: 'reject',
      reason: expect.stringMatching(/^no cycle is in flight/),
    });
    expect(fw.status().totals.cycles).toBe(1);
  });

  it('a cycle carried from a version without run ids is checked by its workflow id', () => {
    const fw = running(false);
    expect(fw.checkCycleReport({ cycle: 1, workflowId: WID, runId: 'any' })).toEqual({ verdict: 'accept' });
    expect(fw.checkCycleReport({ cycle: 1, workflowId: 'flywheel:m:cycle:9', runId: 'any' }).verdict).toBe('reject');
  });

  it('payloads without ids, with unknown steps or outcomes, or not objects do not parse', () => {
    for (const bad of [
      null,
      'garbage',
      {},
      { cycle: 999, championVersion: 999 },
      { cycle: 1, workflowId: WID, runId: 'r', step: 'party' },
    ]) {
      expect(CycleProgressSchema.safeParse(bad).success).toBe(false);
      expect(CycleFinishedSchema.safeParse(bad).success).toBe(false);
    }
    const p = CycleFinishedSchema.parse({
      cycle: 1,
      workflowId: WID,
      runId: 'r',
      outcome: 'failed',
      reason: 'x'.repeat(9000),
      trigger: 'manual',
      startedAt: 0,
      endedAt: 1,
    });
    expect(p.reason).toHaveLength(4000);
  });
});

describe('across continue-as-new', () => {
  it('the child run id is carried: the next run still tells the child from a forger', () => {
    const fw = running();
    fw.childStarted(1, 'r1');
    const next = parseFlywheelInput({ modelId: 'm', carried: fw.snapshot() }, 'flywheel:m');
    const restored = Flywheel.restore(next.carried!);
    expect(restored.checkCycleReport({ cycle: 1, workflowId: WID, runId: 'r1' })).toEqual({ verdict: 'accept' });
    expect(restored.checkCycleReport({ cycle: 1, workflowId: WID, runId: 'forged' }).verdict).toBe('reject');
  });
});
