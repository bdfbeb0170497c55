import { WorkflowFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import { driftAlertSignal, retrainRequestedSignal, statusQuery } from '../../src/contracts/model-flywheel.js';
import { cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { uniqueId } from '../support/smoke-worker.js';
import { resultReader, stopFlywheel, waitFor } from './helpers/wait-for.js';
import { useHarness } from './helpers/use-harness.js';
import { recordHistory } from './helpers/record-history.js';

const ctx = useHarness();

describe('when things go wrong', () => {
  it("a guard breach during the canary rolls back: routing is the champion's, the report and registry say why", async () => {
    const modelId = uniqueId('fraud').toLowerCase();
    const spec = ctx.h.spec(modelId);
    const champion = await ctx.h.seedChampion(spec);
    // Production: the candidate fails 8 % of its requests.
    ctx.h.traffic.scenario = (v) =>
      v === champion ? { count: 300, accuracy: 0.9 } : { count: 300, errorRate: 0.08, accuracy: 0.9 };
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'bob' });
      await ctx.env.sleep('1h');
      const report = await resultReader(ctx.env)<CycleReport>(cycleWorkflowId(modelId, 1));
      expect(report.outcome).toBe('rolledBack');
      expect(report.reason).toBe('canary 5% for 10m: error rate 8% exceeds 2% over 300 predictions');
      expect(report.steps.at(-1)).toMatchObject({ step: 'rollout', status: 'failed' });
      const routing = await ctx.h.serving.getRouting(modelId);
      expect(routing).toMatchObject({ championVersion: champion });
      expect(routing?.canary).toBeUndefined();
      const v = await ctx.h.registry.getVersion(modelId, report.candidateVersion!);
      expect(v.stage).toBe('rolled_back');
      expect(v.rollout).toMatchObject({ outcome: 'rolled_back', reasons: [report.reason] });
      expect((await ctx.h.registry.getAlias(modelId, 'champion'))?.version).toBe(champion);
      const status = await waitFor(async () => {
        const s = await flywheel.query(statusQuery.definition);
        return s.recentCycles.length === 1 && s;
      }, 'the flywheel to record the cycle');
      expect(status.recentCycles[0]).toMatchObject({ outcome: 'rolledBack', reason: report.reason });
      expect(status.champion?.version).toBe(champion);
      await recordHistory(ctx.env.client, report.workflowId, 'cycle-canary-rolled-back');
      await recordHistory(ctx.env.client, `${report.workflowId}:rollout`, 'rollout-guard-breach');
      expect((await flywheel.describe()).status.name).toBe('RUNNING');
      await stopFlywheel(flywheel);
    });
  });

  it('cancelling the cycle mid-rollout restores the champion routing and the flywheel records it', async () => {
    const modelId = uniqueId('fraud').toLowerCase();
    const spec = ctx.h.spec(modelId);
    const champion = await ctx.h.seedChampion(spec);
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'bob' });
      await waitFor(async () => (await ctx.h.serving.getRouting(modelId))?.canary?.weight === 0.05, 'the 5% canary');
      const cycle = ctx.env.client.workflow.getHandle(cycleWorkflowId(modelId, 1));
      await cycle.cancel();
      expect(await resultReader(ctx.env)(cycle.workflowId).catch((e: unknown) => e)).toBeInstanceOf(
        WorkflowFailedError,
      );
      const routing = await ctx.h.serving.getRouting(modelId);
      expect(routing).toMatchObject({ championVersion: champion });
      expect(routing?.canary).toBeUndefined();
      const status = await waitFor(async () => {
        const s = await flywheel.query(statusQuery.definition);
        return s.recentCycles.length === 1 && s;
      }, 'the flywheel to record the cycle');
      expect(status.recentCycles[0]?.outcome).toBe('cancelled');
      expect(status.inFlight).toBeNull();
      expect((await ctx.h.registry.getVersion(modelId, 2)).stage).toBe('rolled_back');
      await recordHistory(ctx.env.client, cycleWorkflowId(modelId, 1), 'cycle-cancelled-mid-rollout');
      await recordHistory(ctx.env.client, `${cycleWorkflowId(modelId, 1)}:rollout`, 'rollout-cancelled');
      await stopFlywheel(flywheel);
    });
  });

  it('a malformed signal payload is dropped and counted; the flywheel keeps working', async () => {
    const modelId = uniqueId('fraud').toLowerCase();
    const spec = ctx.h.spec(modelId);
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      await flywheel.signal(driftAlertSignal.definition, { score: 'high' } as never);
      await flywheel.signal(driftAlertSignal.definition, { score: 7 });
      await flywheel.signal(driftAlertSignal.definition, 'not even an object' as never);
      await flywheel.signal(driftAlertSignal.definition, { score: 0.9, source: 'monitor' });
      const status = await flywheel.query(statusQuery.definition);
      expect(status.rejectedInputs.count).toBe(3);
      expect(status.rejectedInputs.recent.map((r) => r.error)).toEqual([
        'score: Expected number, received string',
        'score: Number must be less than or equal to 1',
        '(payload): Expected object, received string',
      ]);
      expect(status.triggerCounts).toMatchObject({ received: 1, accepted: 1 });
      expect(status.pending?.count).toBe(1);
      expect((await flywheel.describe()).status.name).toBe('RUNNING');
      await recordHistory(ctx.env.client, flywheel.workflowId, 'flywheel-malformed-signals');
      await stopFlywheel(flywheel);
    });
  });
});
