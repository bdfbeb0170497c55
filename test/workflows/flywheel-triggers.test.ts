import { describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import { driftAlertSignal, retrainRequestedSignal, statusQuery } from '../../src/contracts/model-flywheel.js';
import { approveUpdate, cycleStatusQuery, cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { uniqueId } from '../support/smoke-worker.js';
import { resultReader, stopFlywheel, waitFor } from './helpers/wait-for.js';
import { useHarness } from './helpers/use-harness.js';
import { recordHistory } from './helpers/record-history.js';

const ctx = useHarness();

const ANA = 'ana@example.com';

const cycleResult = (modelId: string, n: number): Promise<CycleReport> =>
  resultReader(ctx.env)<CycleReport>(cycleWorkflowId(modelId, n));

describe('trigger policy inside the flywheel', () => {
  it('alerts during a running cycle become exactly one follow-up cycle, deferred by the cooldown, then acted on', async () => {
    const modelId = uniqueId('fraud').toLowerCase();
    // Manual approval holds cycle 1 open while the alerts arrive.
    const spec = ctx.h.spec(modelId, { approval: { mode: 'manual', approvers: [ANA] } });
    await ctx.h.seedChampion(spec);
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'bob' });
      const cycle1 = ctx.env.client.workflow.getHandle(cycleWorkflowId(modelId, 1));
      await waitFor(async () => (await cycle1.query(cycleStatusQuery.definition)).approval.pending, 'cycle 1 approval');
      // About v2, the candidate: alerts about v1 (or naming no version) would go stale when v2 is promoted.
      for (let i = 0; i < 7; i++)
        await flywheel.signal(driftAlertSignal.definition, {
          score: 0.5 + i / 20,
          source: `monitor-${i}`,
          observedVersion: 2,
        });
      // FlywheelClient.status reads the step from the cycle (cycles report only when they end).
      let status = await ctx.h.flywheels().status(modelId);
      expect(status.inFlight).toMatchObject({ cycle: 1, step: 'approval' });
      expect(status.pending?.count).toBe(7);
      expect(status.decisions.at(-1)?.action).toBe('coalesce');
      expect(status.decisions.at(-1)?.reason).toContain('cycle 1 running: 7 triggers (drift');

      await cycle1.executeUpdate(approveUpdate.definition, {
        args: [{ cycleId: cycleWorkflowId(modelId, 1), by: ANA }],
      });
      await ctx.env.sleep('3h'); // cycle 1 bakes its canary (50 min), the cooldown (10 min) passes, cycle 2 runs
      expect((await cycleResult(modelId, 1)).outcome).toBe('promoted');
      const report2 = await cycleResult(modelId, 2);
      expect(report2.trigger).toMatchObject({ primary: 'drift', count: 7, maxScore: { drift: 0.8 } });

      status = await flywheel.query(statusQuery.definition);
      expect(status.cyclesStarted).toBe(2); // exactly one follow-up
      expect(status.pending).toBeNull();
      const deferred = status.decisions.find((d) => d.action === 'defer')!;
      const started = status.decisions.find((d) => d.action === 'start' && d.cycle === 2)!;
      expect(deferred.cause).toBe('cooldown');
      expect(deferred.reason).toContain('cooldown of 10m after the last cycle: 7 triggers (drift');
      // Acted on when the cooldown ended (the durable timer fires within ms of it).
      expect(started.at).toBeGreaterThanOrEqual(deferred.until!);
      expect(started.at - deferred.until!).toBeLessThan(1000);
      expect(status.recentCycles.map((c) => c.cycle)).toEqual([1, 2]);
      await recordHistory(ctx.env.client, flywheel.workflowId, 'flywheel-coalesce-cooldown');
      await stopFlywheel(flywheel);
    });
  });

  it('budget exhaustion defers with the time the budget frees, then acts on it', async () => {
    const modelId = uniqueId('fraud').toLowerCase();
    const spec = ctx.h.spec(modelId, {
      trigger: { debounceMs: 0, cooldownMs: 0, budget: { maxCycles: 1, windowMs: '24h' } },
    });
    await ctx.h.seedChampion(spec);
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      await flywheel.signal(driftAlertSignal.definition, { score: 0.9 });
      await ctx.env.sleep('2h');
      expect((await cycleResult(modelId, 1)).outcome).toBe('promoted');
      const started = (await flywheel.query(statusQuery.definition)).decisions.find((d) => d.action === 'start')!;
      await flywheel.signal(driftAlertSignal.definition, { score: 0.9 });
      const d = (await flywheel.query(statusQuery.definition)).decisions.at(-1)!;
      const frees = started.at + 24 * 3_600_000;
      expect(d).toMatchObject({ action: 'defer', cause: 'budget', until: frees });
      expect(d.reason).toBe(
        `retrain budget of 1 cycle per 1d used up: 1 trigger (drift) max drift 0.9 deferred until ${new Date(frees).toISOString()} when a slot frees`,
      );
      await ctx.env.sleep('25h'); // the slot frees: the deferred alert runs
      const report2 = await cycleResult(modelId, 2);
      expect(report2.trigger.count).toBe(1);
      expect(report2.startedAt).toBeGreaterThanOrEqual(frees);
      await recordHistory(ctx.env.client, flywheel.workflowId, 'flywheel-budget-deferral');
      await stopFlywheel(flywheel);
    });
  });
});
