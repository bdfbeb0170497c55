import { describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import { retrainRequestedSignal } from '../../src/contracts/model-flywheel.js';
import {
  approveSignal,
  approveUpdate,
  cycleStatusQuery,
  cycleWorkflowId,
  rejectUpdate,
} from '../../src/contracts/training-cycle.js';
import { uniqueId } from '../support/smoke-worker.js';
import { resultReader, stopFlywheel, waitFor } from './helpers/wait-for.js';
import { useHarness } from './helpers/use-harness.js';
import { recordHistory } from './helpers/record-history.js';
import { expectUpdateRefused } from './helpers/expect-update-refused.js';
import { currentDetails, timerSummaries } from './helpers/ui-metadata.js';
import { rolloutStatusQuery, rolloutWorkflowId } from '../../src/contracts/rollout.js';

const ctx = useHarness();

const ANA = 'ana@example.com';

/** Starts a flywheel with manual approval, asks for a retrain, and waits until cycle 1 waits for a person. */
async function cycleAwaitingApproval(onTimeout: 'reject' | 'approve' = 'reject') {
  const modelId = uniqueId('fraud').toLowerCase();
  const spec = ctx.h.spec(modelId, { approval: { mode: 'manual', approvers: [ANA], timeoutMs: '72h', onTimeout } });
  await ctx.h.seedChampion(spec);
  const flywheel = await ctx.h.flywheels().start(spec);
  await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'bob', reason: 'new quarter' });
  const cycleId = cycleWorkflowId(modelId, 1);
  const cycle = ctx.env.client.workflow.getHandle(cycleId);
  await waitFor(async () => (await cycle.query(cycleStatusQuery.definition)).approval.pending, 'the approval step');
  return { modelId, flywheel, cycle, cycleId };
}

describe('manual approval', () => {
  it('refuses an unknown approver and a wrong cycle with a message, then accepts an allow-listed approver', async () => {
    await ctx.h.run(async () => {
      const { modelId, flywheel, cycle, cycleId } = await cycleAwaitingApproval();
      // The wording of the approver refusal is checked once, in test/unit/approval (and as the CLI prints it, in e2e).
      await expectUpdateRefused(
        cycle.executeUpdate(approveUpdate.definition, { args: [{ cycleId, by: 'mallory@example.com' }] }),
        { code: 'notApprover', field: 'by' },
      );
      const wrongCycle = await expectUpdateRefused(
        cycle.executeUpdate(approveUpdate.definition, { args: [{ cycleId: `${cycleId}0`, by: ANA }] }),
        { code: 'wrongCycle', field: 'cycleId' },
      );
      expect(wrongCycle.message).toBe(`unknown cycle "${cycleId}0": this is ${cycleId}`);
      await expectUpdateRefused(cycle.executeUpdate(approveUpdate.definition, { args: [{ cycleId, by: '' }] }), {
        code: 'invalidPayload',
        field: 'by',
      });

      const answer = await cycle.executeUpdate(approveUpdate.definition, {
        args: [{ cycleId, by: ANA, comment: 'looks good' }],
      });
      expect(answer).toMatchObject({ cycleId, decision: 'approved', by: ANA });
      const again = await expectUpdateRefused(
        cycle.executeUpdate(rejectUpdate.definition, { args: [{ cycleId, by: ANA }] }),
        { code: 'alreadyAnswered' },
      );
      expect(again.message).toBe(`${cycleId} was already approved by ana@example.com`);

      await ctx.env.sleep('2h'); // the canary bakes
      const report = await resultReader(ctx.env)<CycleReport>(cycleId);
      expect(report.outcome).toBe('promoted');
      expect(report.trigger).toMatchObject({ primary: 'manual', requestedBy: 'bob' });
      const v = await ctx.h.registry.getVersion(modelId, report.candidateVersion!);
      expect(v.approval).toMatchObject({ decision: 'approved', by: ANA, comment: 'looks good' });
      await recordHistory(ctx.env.client, cycleId, 'cycle-manual-approved-by-update');
      expect(v.stage).toBe('production');
      await stopFlywheel(flywheel);
    });
  });

  it('applies onTimeout (reject) when nobody answers within 72h', async () => {
    await ctx.h.run(async () => {
      const { modelId, flywheel, cycleId } = await cycleAwaitingApproval('reject');
      await ctx.env.sleep('73h'); // nobody answers
      const report = await resultReader(ctx.env)<CycleReport>(cycleId);
      expect(report.outcome).toBe('approvalTimedOut'); // the reason's wording: test/unit/approval (timeoutOutcome)
      expect(report.endedAt - report.startedAt).toBeGreaterThanOrEqual(72 * 3_600_000);
      const v = await ctx.h.registry.getVersion(modelId, report.candidateVersion!);
      expect(v.stage).toBe('rejected');
      expect(v.approval).toMatchObject({ decision: 'timedOut' });
      await recordHistory(ctx.env.client, report.workflowId, 'cycle-approval-timed-out');
      expect((await ctx.h.serving.getRouting(modelId))?.championVersion).toBe(1);
      await stopFlywheel(flywheel);
    });
  });

  it('the signal twin refuses an unknown approver (counted) and accepts an allow-listed one', async () => {
    await ctx.h.run(async () => {
      const { flywheel, cycle, cycleId } = await cycleAwaitingApproval();
      await cycle.signal(approveSignal.definition, { cycleId, by: 'mallory@example.com' });
      await waitFor(
        async () => (await cycle.query(cycleStatusQuery.definition)).rejectedInputs === 1,
        'the refusal to be counted',
      );
      expect((await cycle.query(cycleStatusQuery.definition)).approval.pending).toBe(true);
      await cycle.signal(approveSignal.definition, { cycleId, by: ANA });
      await ctx.env.sleep('2h');
      const report = await resultReader(ctx.env)<CycleReport>(cycleId);
      expect(report.outcome).toBe('promoted');
      await stopFlywheel(flywheel);
    });
  });

  it('stores the approver as validated (trimmed), in the answer, the report and the registry', async () => {
    await ctx.h.run(async () => {
      const { modelId, flywheel, cycle, cycleId } = await cycleAwaitingApproval();
      const answer = await cycle.executeUpdate(approveUpdate.definition, {
        args: [{ cycleId, by: `  ${ANA}\t`, comment: 'ok' }],
      });
      expect(answer.by).toBe(ANA);
      await ctx.env.sleep('2h');
      const report = await resultReader(ctx.env)<CycleReport>(cycleId);
      expect(report.outcome).toBe('promoted');
      const v = await ctx.h.registry.getVersion(modelId, report.candidateVersion!);
      expect(v.approval).toMatchObject({ decision: 'approved', by: ANA, comment: 'ok' });
      await stopFlywheel(flywheel);
    });
  });

  it('shows in the UI what the cycle waits for: memo, current details with approvers and deadline, labelled timers', async () => {
    await ctx.h.run(async () => {
      const { modelId, flywheel, cycle, cycleId } = await cycleAwaitingApproval();
      const { memo } = await cycle.describe();
      expect(memo).toEqual({ model: modelId, trigger: 'manual by bob: new quarter', champion: 'v1', candidate: 'v2' });
      const { approval } = await cycle.query(cycleStatusQuery.definition);
      const details = await currentDetails(cycle);
      expect(details).toContain(`**Step:** approval · model ${modelId} · candidate v2`);
      expect(details).toContain(`**Waiting for approval** by ${ANA} · **Deadline:** ${approval.deadline}`);
      expect(await timerSummaries(ctx.env.client, cycleId)).toEqual([
        `approval deadline of v2 ${approval.deadline} (then reject)`,
      ]);
      expect(await currentDetails(flywheel)).toContain(`**Running** cycle 1 (\`${cycleId}\``);

      await cycle.executeUpdate(approveUpdate.definition, { args: [{ cycleId, by: ANA }] });
      const rollout = ctx.env.client.workflow.getHandle(rolloutWorkflowId(cycleId));
      const baking = await waitFor(async () => (await currentDetails(rollout).catch(() => '')) || false, 'a bake');
      const { phase } = await rollout.query(rolloutStatusQuery.definition);
      expect(baking).toMatch(new RegExp(`^\\*\\*Phase:\\*\\* ${phase} · ${modelId} v2 against champion v1`));
      expect(baking).toMatch(/\*\*Baking until\*\* \d{4}-\d\d-\d\dT/);
      expect((await timerSummaries(ctx.env.client, rolloutWorkflowId(cycleId)))[0]).toMatch(/^bake .* of v2 until /);
      expect(await currentDetails(cycle)).toContain('**Rolling out:** a staged rollout runs as the child');

      await ctx.env.sleep('2h');
      const report = await resultReader(ctx.env)<CycleReport>(cycleId);
      expect(report.outcome).toBe('promoted');
      await recordHistory(ctx.env.client, cycleId, 'cycle-ui-memo-and-details');
      expect(await currentDetails(flywheel)).toContain('**Idle:** waiting for a trigger');
      await stopFlywheel(flywheel);
    });
  });
});
