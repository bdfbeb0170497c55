import { describe, expect, it } from 'vitest';
import type proto from '@temporalio/proto';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import { driftAlertSignal, retrainRequestedSignal, statusQuery } from '../../src/contracts/model-flywheel.js';
import { approveUpdate, cycleStatusQuery, cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { uniqueId } from '../support/smoke-worker.js';
import { resultReader, stopFlywheel, waitFor } from './helpers/wait-for.js';
import { useHarness } from './helpers/use-harness.js';
import { recordHistory } from './helpers/record-history.js';

const ctx = useHarness();

const ANA = 'ana@example.com';
type Event = proto.temporal.api.history.v1.IHistoryEvent;

/** The signal names a history sent (signalExternal) and received, in order. */
const sent = (events: Event[]) =>
  events.flatMap((e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName ?? []);
const received = (events: Event[]) =>
  events.flatMap((e) => e.workflowExecutionSignaledEventAttributes?.signalName ?? []);

describe('how a cycle reports to its flywheel', () => {
  it('a cycle the flywheel run started is read from its result: no report signal either way', async () => {
    const modelId = uniqueId('fraud').toLowerCase();
    const spec = ctx.h.spec(modelId, { rollout: { strategy: 'direct' } });
    await ctx.h.seedChampion(spec);
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'bob' });
      const cycle = ctx.env.client.workflow.getHandle(cycleWorkflowId(modelId, 1));
      await waitFor(() => cycle.describe().catch(() => undefined), 'cycle 1 to start');
      const report = await resultReader(ctx.env)<CycleReport>(cycleWorkflowId(modelId, 1));
      expect(report.outcome).toBe('promoted');
      const status = await waitFor(async () => {
        const s = await flywheel.query(statusQuery.definition);
        return s.recentCycles.length === 1 && s;
      }, 'the flywheel to record cycle 1');
      expect(status.recentCycles[0]).toMatchObject({ cycle: 1, outcome: 'promoted', candidateVersion: 2 });
      expect(status.champion?.version).toBe(2);
      expect(sent((await cycle.fetchHistory()).events!)).toEqual([]);
      // What it did receive: the spec it was started with (signal-with-start) and the retrain request.
      expect(received((await flywheel.fetchHistory()).events!)).toEqual(['updatePolicy', 'retrainRequested']);
      await stopFlywheel(flywheel);
    });
  });

  it('a flywheel continuing as new with a cycle in flight tells it to report by signal, and the next run records it', async () => {
    const modelId = uniqueId('fraud').toLowerCase();
    // Manual approval holds cycle 1 open while alerts grow the flywheel's history past its hard limit.
    const spec = ctx.h.spec(modelId, {
      approval: { mode: 'manual', approvers: [ANA] },
      rollout: { strategy: 'direct' },
    });
    await ctx.h.seedChampion(spec);
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec, { historyLimit: 30, hardHistoryLimit: 50 });
      const firstRunId = (await flywheel.describe()).runId;
      await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'bob' });
      const cycleId = cycleWorkflowId(modelId, 1);
      const cycle = ctx.env.client.workflow.getHandle(cycleId);
      await waitFor(async () => (await cycle.query(cycleStatusQuery.definition)).approval.pending, 'cycle 1 approval');
      for (let i = 0; i < 20 && (await flywheel.describe()).runId === firstRunId; i++)
        await flywheel.signal(driftAlertSignal.definition, { score: 0.9, source: `monitor-${i}`, observedVersion: 2 });
      await waitFor(async () => (await flywheel.describe()).runId !== firstRunId, 'the flywheel to continue as new');

      const firstRun = (await ctx.env.client.workflow.getHandle(flywheel.workflowId, firstRunId).fetchHistory())
        .events!;
      expect(sent(firstRun)).toEqual(['reportBySignal']);
      expect(firstRun.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
      expect((await flywheel.query(statusQuery.definition)).inFlight).toMatchObject({ cycle: 1 });

      await cycle.executeUpdate(approveUpdate.definition, { args: [{ cycleId, by: ANA }] });
      expect((await resultReader(ctx.env)<CycleReport>(cycleId)).outcome).toBe('promoted');
      const status = await waitFor(async () => {
        const s = await flywheel.query(statusQuery.definition);
        return s.recentCycles.some((c) => c.cycle === 1) && s;
      }, 'the next run to record cycle 1');
      expect(status.recentCycles.find((c) => c.cycle === 1)).toMatchObject({
        outcome: 'promoted',
        candidateVersion: 2,
      });
      expect(status.champion?.version).toBe(2);
      const cycleEvents = (await cycle.fetchHistory()).events!;
      expect(received(cycleEvents)).toEqual(['reportBySignal']);
      expect(sent(cycleEvents)).toEqual(['cycleFinished']);
      await recordHistory(ctx.env.client, flywheel.workflowId, 'flywheel-continued-with-cycle-in-flight', firstRunId);
      await recordHistory(ctx.env.client, cycleId, 'cycle-told-to-report-by-signal');
      await stopFlywheel(flywheel);
    });
  });
});
