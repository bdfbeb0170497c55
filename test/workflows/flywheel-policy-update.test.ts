import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import {
  MODEL_FLYWHEEL_WORKFLOW,
  driftAlertSignal,
  flywheelWorkflowId,
  statusQuery,
  updatePolicySignal,
  updatePolicyUpdate,
} from '../../src/contracts/model-flywheel.js';
import { uniqueId } from '../support/smoke-worker.js';
import { expectUpdateRefused } from './helpers/expect-update-refused.js';
import { recordHistory } from './helpers/record-history.js';
import { useHarness } from './helpers/use-harness.js';
import { stopFlywheel } from './helpers/wait-for.js';

const ctx = useHarness();
const { EventType } = temporal.api.enums.v1;

/** Update events of a workflow's history (admitted, accepted, completed). */
async function updateEvents(handle: WorkflowHandle): Promise<string[]> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).map((e) => EventType[e.eventType ?? 0] ?? '').filter((t) => t.includes('UPDATE'));
}

describe('updatePolicy as an update', () => {
  it('applies a valid change and answers the new revision and decision; says unchanged for the same policy', async () => {
    const modelId = uniqueId('policy').toLowerCase();
    const spec = ctx.h.spec(modelId);
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      await flywheel.signal(driftAlertSignal.definition, { score: 0.2 }); // below the 0.3 floor: ignored under the old policy
      const trigger = { ...spec.trigger, floors: { ...spec.trigger.floors, drift: 0.1 } };
      const answer = await flywheel.executeUpdate(updatePolicyUpdate.definition, {
        args: [{ trigger, by: 'ana', reason: 'be more sensitive' }],
      });
      expect(answer).toMatchObject({
        modelId,
        outcome: 'changed',
        specRevision: 2,
        changed: ['trigger'],
        by: 'ana',
        reason: 'be more sensitive',
      });
      expect(answer.decision?.action).toBe('idle');
      expect(answer.decision?.reason).toEqual(expect.any(String));

      const status = await flywheel.query(statusQuery.definition);
      expect(status.specRevision).toBe(2);
      await flywheel.signal(driftAlertSignal.definition, { score: 0.2 }); // now above the new floor: gathered
      expect((await flywheel.query(statusQuery.definition)).decisions.at(-1)?.action).toBe('gather');

      const same = await flywheel.executeUpdate(updatePolicyUpdate.definition, { args: [{ trigger }] });
      expect(same).toEqual({ modelId, outcome: 'unchanged', specRevision: 2, changed: [] });
      expect(await updateEvents(flywheel)).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED');
      await recordHistory(ctx.env.client, flywheel.workflowId, 'flywheel-policy-update');
      await stopFlywheel(flywheel);
    });
  });

  it('refuses a bad change in the validator, naming the field, and leaves no update event in history', async () => {
    const modelId = uniqueId('policy').toLowerCase();
    const spec = ctx.h.spec(modelId);
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      // The wording of each refusal is checked once, in test/unit/flywheel/policy-change.test.ts.
      await expectUpdateRefused(
        flywheel.executeUpdate(updatePolicyUpdate.definition, { args: [{ trigger: { cooldownMs: 'soon' } }] }),
        { code: 'invalidPayload', field: 'trigger.cooldownMs' },
      );
      await expectUpdateRefused(
        flywheel.executeUpdate(updatePolicyUpdate.definition, { args: [{ spec: { ...spec, label: { name: 'f1' } } }] }),
        { code: 'invalidSpec', field: 'spec.label.name' },
      );
      await expectUpdateRefused(flywheel.executeUpdate(updatePolicyUpdate.definition, { args: [{ by: 'ana' }] }), {
        code: 'invalidPayload',
      });

      const status = await flywheel.query(statusQuery.definition);
      expect(status.specRevision).toBe(1);
      expect(status.rejectedInputs.count).toBe(0); // the caller was told; nothing to count
      expect(await updateEvents(flywheel)).toEqual([]);
      await stopFlywheel(flywheel);
    });
  });

  it('refuses a partial policy while the flywheel has no spec, and says to send the spec', async () => {
    const modelId = uniqueId('policy').toLowerCase();
    const spec = ctx.h.spec(modelId);
    await ctx.h.run(async () => {
      const flywheel = await ctx.env.client.workflow.start(MODEL_FLYWHEEL_WORKFLOW, {
        workflowId: flywheelWorkflowId(modelId),
        taskQueue: ctx.h.taskQueue,
        args: [{ modelId }],
      });
      await expectUpdateRefused(
        flywheel.executeUpdate(updatePolicyUpdate.definition, { args: [{ trigger: { cooldownMs: '1h' } }] }),
        { code: 'noSpec', field: 'spec' },
      );
      expect(await updateEvents(flywheel)).toEqual([]);

      const first = await flywheel.executeUpdate(updatePolicyUpdate.definition, { args: [{ spec }] });
      expect(first).toMatchObject({ outcome: 'changed', specRevision: 1 });
      expect(first.changed).toEqual(expect.arrayContaining(['id', 'trigger', 'approval', 'rollout']));
      expect((await flywheel.query(statusQuery.definition)).hasSpec).toBe(true);
      await stopFlywheel(flywheel);
    });
  });

  it('keeps the signal twin: a good one changes the policy, a bad one is dropped and counted with the reason', async () => {
    const modelId = uniqueId('policy').toLowerCase();
    const spec = ctx.h.spec(modelId);
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      await flywheel.signal(updatePolicySignal.definition, { rollout: { strategy: 'direct' } });
      await flywheel.signal(updatePolicySignal.definition, { trigger: { cooldownMs: 'soon' } });
      const status = await flywheel.query(statusQuery.definition);
      expect(status.specRevision).toBe(2);
      expect(status.rejectedInputs.count).toBe(1);
      expect(status.rejectedInputs.recent[0]).toMatchObject({
        input: 'updatePolicy',
        error: expect.stringContaining('trigger.cooldownMs: "soon" is not a duration'),
      });
      // Re-starting with the same spec (signal-with-start) is not a new revision.
      await ctx.h.flywheels().start(spec);
      expect((await flywheel.query(statusQuery.definition)).specRevision).toBe(3);
      await ctx.h.flywheels().start(spec);
      expect((await flywheel.query(statusQuery.definition)).specRevision).toBe(3);
      await stopFlywheel(flywheel);
    });
  });
});
