import { describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import {
  alertResolvedSignal,
  driftAlertSignal,
  performanceReportSignal,
  retrainRequestedSignal,
  statusQuery,
} from '../../src/contracts/model-flywheel.js';
import { cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { uniqueId } from '../support/smoke-worker.js';
import { resultReader, stopFlywheel } from './helpers/wait-for.js';
import { useHarness } from './helpers/use-harness.js';
import { recordHistory } from './helpers/record-history.js';

const ctx = useHarness();

describe('alert screening inside the flywheel (patch alert-screening)', () => {
  it('ignores alerts about the replaced champion, or raised before the promotion, with the reason in status', async () => {
    const modelId = uniqueId('stale').toLowerCase();
    const spec = ctx.h.spec(modelId, { trigger: { debounceMs: 0, cooldownMs: 0 } });
    await ctx.h.seedChampion(spec);
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'bob' });
      await ctx.env.sleep('2h');
      const report = await resultReader(ctx.env)<CycleReport>(cycleWorkflowId(modelId, 1));
      expect(report).toMatchObject({ outcome: 'promoted', candidateVersion: 2 });
      const promotedAt = (await flywheel.query(statusQuery.definition)).champion?.promotedAt;
      expect(promotedAt).toBeDefined();

      await flywheel.signal(driftAlertSignal.definition, { score: 0.9, observedVersion: 1, source: 'monitor' });
      await flywheel.signal(performanceReportSignal.definition, {
        score: 0.1,
        at: new Date(promotedAt! - 60_000).toISOString(),
      });
      const status = await flywheel.query(statusQuery.definition);
      expect(status.decisions.slice(-2).map((d) => [d.action, d.cause, d.reason])).toEqual([
        ['ignore', 'stale', 'stale drift alert: it observed v1, which no longer serves (champion v2): ignored'],
        [
          'ignore',
          'stale',
          `stale performance alert: raised ${new Date(promotedAt! - 60_000).toISOString()}, before v2 was promoted at ${new Date(promotedAt!).toISOString()}: ignored`,
        ],
      ]);
      expect(status.triggerCounts).toMatchObject({ stale: 2 });
      expect(status.pending).toBeNull();
      expect(status.cyclesStarted).toBe(1);
      await recordHistory(ctx.env.client, flywheel.workflowId, 'flywheel-stale-alerts-ignored');
      await stopFlywheel(flywheel);
    });
  });

  it('a resolved alert retracts its pending trigger, and benign drift starts no cycle', async () => {
    const modelId = uniqueId('resolved').toLowerCase();
    const spec = ctx.h.spec(modelId, { trigger: { debounceMs: '30m', cooldownMs: 0 } });
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      await flywheel.signal(driftAlertSignal.definition, {
        score: 0.8,
        features: ['f3'],
        evidence: { importantShare: 0.02, measuredDrop: 0.001, estimatedDrop: null },
        source: 'monitor',
      });
      await flywheel.signal(driftAlertSignal.definition, { score: 0.8, fingerprint: 'am-7', source: 'alertmanager' });
      let status = await flywheel.query(statusQuery.definition);
      expect(status.decisions.map((d) => d.action)).toEqual(['benign', 'gather']);
      expect(status.decisions[0]).toMatchObject({
        reason:
          "drift trigger: benign drift: drifted features hold 2% of the champion's importance < 10%; measured drop 0.001 < 0.02; no estimate; no cycle",
        harm: { harmful: false, importantShare: 0.02, measuredDrop: 0.001, estimatedDrop: null },
      });
      expect(status.pending?.count).toBe(1);

      await flywheel.signal(alertResolvedSignal.definition, { fingerprint: 'am-7', source: 'alertmanager' });
      await ctx.env.sleep('1h'); // past the debounce: nothing is left to start
      status = await flywheel.query(statusQuery.definition);
      expect(status.decisions.at(-1)).toMatchObject({
        action: 'retract',
        reason: 'alert am-7 resolved: 1 pending trigger retracted; nothing pending',
      });
      expect(status.pending).toBeNull();
      expect(status.cyclesStarted).toBe(0);
      expect(status.triggerCounts).toMatchObject({ received: 2, benign: 1, accepted: 1, retracted: 1 });
      await recordHistory(ctx.env.client, flywheel.workflowId, 'flywheel-benign-and-resolved');
      await stopFlywheel(flywheel);
    });
  });
});
