import {
  ApplicationFailure,
  WorkflowFailedError,
  WorkflowNotFoundError,
  type WorkflowHandle,
} from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import {
  MODEL_FLYWHEEL_WORKFLOW,
  cycleFinishedSignal,
  cycleProgressSignal,
  driftAlertSignal,
  flywheelWorkflowId,
  newDataSignal,
  pauseSignal,
  performanceReportSignal,
  resumeSignal,
  retrainRequestedSignal,
  statusQuery,
  updatePolicySignal,
  updatePolicyUpdate,
} from '../../src/contracts/model-flywheel.js';
import { approveUpdate, cycleStatusQuery, cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { uniqueId } from '../support/smoke-worker.js';
import { recordHistory } from './helpers/record-history.js';
import { useHarness } from './helpers/use-harness.js';
import { resultReader, stopFlywheel, waitFor } from './helpers/wait-for.js';

const ctx = useHarness();
const { EventType } = temporal.api.enums.v1;
const ANA = 'ana@example.com';

/** Event types of a workflow's history that mean a workflow task failed (a wedged workflow). */
async function failedTasks(handle: WorkflowHandle): Promise<string[]> {
  const { events } = await handle.fetchHistory();
  return (events ?? [])
    .map((e) => EventType[e.eventType ?? 0] ?? '')
    .filter((t) => t === 'EVENT_TYPE_WORKFLOW_TASK_FAILED');
}

async function exists(handle: WorkflowHandle): Promise<boolean> {
  try {
    await handle.describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

describe('cycle reports the flywheel cannot be fooled by', () => {
  it('F1: a forged cycleFinished during cycle 1 is rejected: one cycle at a time, one production version', async () => {
    const modelId = uniqueId('forged').toLowerCase();
    // Manual approval holds cycle 1 open while the forgery arrives.
    const spec = ctx.h.spec(modelId, { approval: { mode: 'manual', approvers: [ANA] } });
    await ctx.h.seedChampion(spec);
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'bob' });
      const cycle1 = ctx.env.client.workflow.getHandle(cycleWorkflowId(modelId, 1));
      await waitFor(async () => (await cycle1.query(cycleStatusQuery.definition)).approval.pending, 'cycle 1 approval');

      // What `temporal workflow signal --name cycleFinished --input '{"cycle":1}'` sends.
      await flywheel.signal(cycleFinishedSignal.definition, { cycle: 1 } as never);
      await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'eve' });
      // FlywheelClient.status reads the step from the cycle (cycles report only when they end).
      const status = await ctx.h.flywheels().status(modelId);
      expect(status.inFlight).toMatchObject({ cycle: 1, step: 'approval' });
      expect(status.cyclesStarted).toBe(1);
      expect(status.totals.cycles).toBe(0);
      expect(status.rejectedInputs.recent.map((r) => r.input)).toContain('cycleFinished');
      expect(status.rejectedInputs.recent.find((r) => r.input === 'cycleFinished')?.error).toMatch(/workflowId/);
      expect(status.pending?.count).toBe(1);

      await ctx.env.sleep('30m'); // the cooldown a forged finish would have started runs out: still one cycle
      expect(await exists(ctx.env.client.workflow.getHandle(cycleWorkflowId(modelId, 2)))).toBe(false);

      await cycle1.executeUpdate(approveUpdate.definition, { args: [{ cycleId: cycle1.workflowId, by: ANA }] });
      await ctx.env.sleep('3h'); // cycle 1 rolls out and finishes; then the coalesced retrain starts cycle 2, which waits for approval
      const report1 = await resultReader(ctx.env)<CycleReport>(cycle1.workflowId);
      expect(report1.outcome).toBe('promoted');
      const cycle2 = ctx.env.client.workflow.getHandle(cycleWorkflowId(modelId, 2));
      // Cycle 2 (the coalesced retrain) either reaches approval or its gate rejects a candidate no better than v2.
      const reached = await waitFor(
        async () =>
          (await cycle2.describe()).status.name !== 'RUNNING'
            ? 'end'
            : (await cycle2.query(cycleStatusQuery.definition)).approval.pending && 'approval',
        'cycle 2 to reach approval or end',
      );
      if (reached === 'approval') {
        await cycle2.executeUpdate(approveUpdate.definition, { args: [{ cycleId: cycle2.workflowId, by: ANA }] });
        await ctx.env.sleep('3h');
      }
      const report2 = await resultReader(ctx.env)<CycleReport>(cycle2.workflowId);
      expect(report2.startedAt).toBeGreaterThanOrEqual(report1.endedAt);
      expect(report2.championVersionBefore).toBe(report1.candidateVersion);

      const champion = report2.outcome === 'promoted' ? report2.candidateVersion : report1.candidateVersion;
      const production = (await ctx.h.registry.listVersions(modelId)).filter((v) => v.stage === 'production');
      expect(production.map((v) => v.version)).toEqual([champion]);
      const after = await waitFor(async () => {
        const s = await flywheel.query(statusQuery.definition);
        return s.totals.cycles === 2 && s;
      }, 'the flywheel to record both cycles');
      expect(after.champion?.version).toBe(champion);
      expect(after.recentCycles.map((c) => c.outcome)).toEqual(['promoted', report2.outcome]);
      // The genuine reports of both cycles were accepted: the only rejected input is the forgery.
      expect(after.rejectedInputs.count).toBe(1);
      expect(await failedTasks(flywheel)).toEqual([]);
      await recordHistory(ctx.env.client, flywheel.workflowId, 'flywheel-forged-cycle-finished');
      await recordHistory(ctx.env.client, cycle1.workflowId, 'cycle-verified-reports');
      await stopFlywheel(flywheel);
    });
  });

  it('F2: null on every signal never fails a workflow task; a retrain afterwards runs a cycle', async () => {
    const modelId = uniqueId('nulls').toLowerCase();
    const spec = ctx.h.spec(modelId, { trigger: { debounceMs: 0, cooldownMs: 0 } });
    await ctx.h.seedChampion(spec);
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      const signals = [
        driftAlertSignal.definition,
        newDataSignal.definition,
        performanceReportSignal.definition,
        pauseSignal.definition,
        resumeSignal.definition,
        updatePolicySignal.definition,
        cycleProgressSignal.definition,
        cycleFinishedSignal.definition,
      ];
      for (const s of signals) await flywheel.signal(s as typeof driftAlertSignal.definition, null as never);
      const status = await flywheel.query(statusQuery.definition);
      expect(status.rejectedInputs.recent.map((r) => r.input).sort()).toEqual(signals.map((s) => s.name).sort());
      for (const r of status.rejectedInputs.recent) expect(r.error).toMatch(/received null|payload/);
      expect(status.totals.cycles).toBe(0);
      expect(status.inFlight).toBeNull();
      expect(await failedTasks(flywheel)).toEqual([]);

      await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'bob' });
      // Nulls from the "child" while a real cycle is in flight change nothing either.
      await waitFor(
        async () => (await flywheel.query(statusQuery.definition)).inFlight?.cycle === 1,
        'cycle 1 to start',
      );
      await flywheel.signal(cycleProgressSignal.definition, null as never);
      await flywheel.signal(cycleFinishedSignal.definition, null as never);
      expect((await flywheel.query(statusQuery.definition)).inFlight?.cycle).toBe(1);
      await ctx.env.sleep('2h');
      expect((await resultReader(ctx.env)<CycleReport>(cycleWorkflowId(modelId, 1))).outcome).toBe('promoted');
      const done = await waitFor(async () => {
        const s = await flywheel.query(statusQuery.definition);
        return s.totals.cycles === 1 && s;
      }, 'the flywheel to record cycle 1');
      expect(done.cyclesStarted).toBe(1);
      expect(await failedTasks(flywheel)).toEqual([]);
      await stopFlywheel(flywheel);
    });
  });

  it('F3: forged championVersion, {} and "garbage" on the cycle signals change neither champion nor cycle count', async () => {
    const modelId = uniqueId('garbage').toLowerCase();
    const spec = ctx.h.spec(modelId);
    const champion = await ctx.h.seedChampion(spec);
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      const before = await flywheel.query(statusQuery.definition);
      const forged: unknown[] = [
        { cycle: 999, championVersion: 999 },
        { cycle: 1, step: 'train', championVersion: 999 },
        {},
        'garbage',
      ];
      for (const p of forged) {
        await flywheel.signal(cycleProgressSignal.definition, p as never);
        await flywheel.signal(cycleFinishedSignal.definition, p as never);
      }
      // A well-formed report naming a workflow and run the flywheel never started.
      const wellFormed = {
        cycle: 1,
        workflowId: cycleWorkflowId(modelId, 1),
        runId: 'not-a-run-the-flywheel-started',
        outcome: 'promoted',
        reason: 'trust me',
        trigger: 'manual',
        startedAt: 0,
        endedAt: 1,
        candidateVersion: 999,
      };
      await flywheel.signal(cycleFinishedSignal.definition, wellFormed as never);
      await flywheel.signal(cycleProgressSignal.definition, {
        cycle: 1,
        workflowId: wellFormed.workflowId,
        runId: wellFormed.runId,
        step: 'finalize',
        championVersion: 999,
      } as never);
      const status = await flywheel.query(statusQuery.definition);
      expect(status.champion).toEqual(before.champion);
      expect(status.champion?.version ?? champion).not.toBe(999);
      expect(status.totals).toEqual(before.totals);
      expect(status.cyclesStarted).toBe(0);
      expect(status.recentCycles).toEqual([]);
      expect(status.rejectedInputs.count).toBe(forged.length * 2 + 2);
      expect(await failedTasks(flywheel)).toEqual([]);
      await recordHistory(ctx.env.client, flywheel.workflowId, 'flywheel-forged-cycle-reports-idle');
      await stopFlywheel(flywheel);
    });
  });
});

describe('a flywheel started with a bad input stays up, misconfigured, until a spec repairs it', () => {
  const rawStart = (modelId: string, input: unknown) =>
    ctx.env.client.workflow.start(MODEL_FLYWHEEL_WORKFLOW, {
      workflowId: flywheelWorkflowId(modelId),
      taskQueue: ctx.h.taskQueue,
      args: [input],
    });

  it('F2: a raw spec (defaults not applied) is parsed at start and a retrain runs a cycle', async () => {
    const modelId = uniqueId('raw').toLowerCase();
    const spec = ctx.h.spec(modelId);
    await ctx.h.seedChampion(spec);
    // What `temporal workflow start --input '{"modelId":…,"spec":<the YAML as JSON>}'` sends: no budget, no floors.
    const raw = { ...spec, trigger: { debounceMs: '1m', cooldownMs: 0 } };
    await ctx.h.run(async () => {
      const flywheel = await rawStart(modelId, {
        modelId,
        spec: raw,
        options: { trainingTaskQueue: ctx.h.trainingTaskQueue },
      });
      await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'bob' });
      const status = await flywheel.query(statusQuery.definition);
      expect(status.hasSpec).toBe(true);
      expect(status.misconfigured).toBeNull();
      await ctx.env.sleep('2h');
      expect((await resultReader(ctx.env)<CycleReport>(cycleWorkflowId(modelId, 1))).outcome).toBe('promoted');
      expect(await failedTasks(flywheel)).toEqual([]);
      await stopFlywheel(flywheel);
    });
  });

  it('F2: a bad spec leaves the flywheel running and misconfigured (field named); updatePolicy with a spec repairs it', async () => {
    const modelId = uniqueId('bad').toLowerCase();
    const spec = ctx.h.spec(modelId, { trigger: { debounceMs: 0, cooldownMs: 0 } });
    await ctx.h.seedChampion(spec);
    await ctx.h.run(async () => {
      const flywheel = await rawStart(modelId, {
        spec: { ...spec, trigger: { debounceMs: 'soon' } },
        options: { trainingTaskQueue: ctx.h.trainingTaskQueue },
      });
      await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'bob' });
      let status = await flywheel.query(statusQuery.definition);
      expect(status.modelId).toBe(modelId); // from the workflow id: the input named none
      expect(status.hasSpec).toBe(false);
      expect(status.misconfigured?.error).toMatch(/spec.*trigger\.debounceMs/);
      expect(status.inFlight).toBeNull();
      expect(status.decisions.at(-1)?.action).toBe('hold');
      expect((await flywheel.describe()).status.name).toBe('RUNNING');

      const change = await flywheel.executeUpdate(updatePolicyUpdate.definition, {
        args: [{ spec: spec as unknown as Record<string, unknown>, by: 'ana' }],
      });
      expect(change.outcome).toBe('changed');
      status = await flywheel.query(statusQuery.definition);
      expect(status.misconfigured).toBeNull();
      await ctx.env.sleep('2h');
      expect((await resultReader(ctx.env)<CycleReport>(cycleWorkflowId(modelId, 1))).outcome).toBe('promoted');
      expect(await failedTasks(flywheel)).toEqual([]);
      await recordHistory(ctx.env.client, flywheel.workflowId, 'flywheel-misconfigured-repaired');
      await stopFlywheel(flywheel);
    });
  });

  it('trainingCycle, rollout, scheduledRetrain and productionMonitor started with null fail naming the input, never a workflow task', async () => {
    await ctx.h.run(async () => {
      for (const type of ['trainingCycle', 'rollout', 'scheduledRetrain', 'productionMonitor']) {
        const handle = await ctx.env.client.workflow.start(type, {
          workflowId: uniqueId(type),
          taskQueue: ctx.h.taskQueue,
          args: [null],
        });
        const err: unknown = await resultReader(ctx.env)(handle.workflowId).catch((e: unknown) => e);
        expect(err, type).toBeInstanceOf(WorkflowFailedError);
        const cause = (err as WorkflowFailedError).cause;
        expect(cause, type).toBeInstanceOf(ApplicationFailure);
        expect(cause, type).toMatchObject({ type: 'InvalidWorkflowInput', nonRetryable: true });
        expect(cause?.message, type).toMatch(
          new RegExp(`^${type}: invalid start input: \\(payload\\): Expected object, received null`),
        );
        expect(await failedTasks(handle), type).toEqual([]);
      }
    });
  });
});
