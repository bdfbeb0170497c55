import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import { driftAlertSignal, statusQuery } from '../../src/contracts/model-flywheel.js';
import { cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { uniqueId } from '../support/smoke-worker.js';
import { resultReader, stopFlywheel } from './helpers/wait-for.js';
import { useHarness } from './helpers/use-harness.js';
import { recordHistory } from './helpers/record-history.js';

const ctx = useHarness();

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

/** The activity type of a scheduled activity or of a local activity's marker; undefined for other events. */
function activityTypeOf(e: HistoryEvent): string | undefined {
  if (e.activityTaskScheduledEventAttributes) return e.activityTaskScheduledEventAttributes.activityType?.name ?? '?';
  const marker = e.markerRecordedEventAttributes;
  if (marker?.markerName !== 'core_local_activity') return undefined;
  const data = marker.details?.data?.payloads?.[0];
  return data ? defaultPayloadConverter.fromPayload<{ activity_type: string }>(data).activity_type : '?';
}

describe('flywheel happy path', () => {
  it('drift alert → cycle → auto approval → canary on bake timers → promoted; routing and registry agree', async () => {
    const modelId = uniqueId('fraud').toLowerCase();
    const spec = ctx.h.spec(modelId);
    const champion = await ctx.h.seedChampion(spec);
    await ctx.h.run(async () => {
      const flywheel = await ctx.h.flywheels().start(spec);
      await flywheel.signal(driftAlertSignal.definition, { score: 0.8, source: 'monitor', reason: 'f1 PSI 0.41' });
      const gathering = await flywheel.query(statusQuery.definition);
      expect(gathering.decisions.at(-1)).toMatchObject({ action: 'gather', cause: 'debounce' });
      await ctx.env.sleep('2h'); // the debounce window (1 min) ends, the cycle runs, the canary bakes (50 min)
      const report = await resultReader(ctx.env)<CycleReport>(cycleWorkflowId(modelId, 1));

      expect(report.outcome).toBe('promoted');
      expect(report.trigger).toMatchObject({ primary: 'drift', count: 1 });
      expect(report.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
        'snapshot:ok',
        'validate:ok',
        'train:ok',
        'evaluate:ok',
        'register:ok',
        'approval:ok',
        'rollout:ok',
        'finalize:ok',
      ]);
      expect(report.steps.find((s) => s.step === 'approval')?.detail).toContain('auto-approved');
      expect(report.championVersionBefore).toBe(champion);
      const candidate = report.candidateVersion!;
      expect(candidate).toBe(champion + 1);

      const routing = await ctx.h.serving.getRouting(modelId);
      expect(routing).toMatchObject({ championVersion: candidate });
      expect(routing?.canary).toBeUndefined();
      const weights = (await ctx.h.serving.routingHistory(modelId)).map((r) => r.canary?.weight ?? null);
      expect(weights).toEqual([null, 0.05, 0.25, 1, null]);

      expect((await ctx.h.registry.getAlias(modelId, 'champion'))?.version).toBe(candidate);
      const v2 = await ctx.h.registry.getVersion(modelId, candidate);
      expect(v2.stage).toBe('production');
      expect(v2.approval).toMatchObject({ decision: 'autoApproved', by: 'flywheel' });
      expect(v2.rollout).toMatchObject({ outcome: 'completed' });
      expect(v2.lineage.trigger.kind).toBe('drift');
      expect((await ctx.h.registry.getVersion(modelId, champion)).stage).toBe('archived');

      const status = await flywheel.query(statusQuery.definition);
      expect(status.inFlight).toBeNull();
      expect(status.champion?.version).toBe(candidate);
      expect(status.recentCycles).toHaveLength(1);
      expect(status.recentCycles[0]).toMatchObject({ cycle: 1, outcome: 'promoted', candidateVersion: candidate });
      // Every activity row in the UI reads as a sentence, not only as its type: the local
      // activities' markers (light steps, routing writes) as well as the scheduled activities.
      const summaries = async (workflowId: string) =>
        ((await ctx.env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [])
          .map((e) => ({ e, type: activityTypeOf(e) }))
          .filter(({ type }) => type !== undefined)
          .map(
            ({ e, type }) =>
              `${type}: ${e.userMetadata?.summary ? defaultPayloadConverter.fromPayload<string>(e.userMetadata.summary) : '(none)'}`,
          );
      const cycleRows = await summaries(cycleWorkflowId(modelId, 1));
      // The light steps ran as local activities; data, training and evaluation as activities.
      const cycleEvents = (await ctx.env.client.workflow.getHandle(cycleWorkflowId(modelId, 1)).fetchHistory()).events;
      expect(cycleEvents?.filter((e) => e.activityTaskScheduledEventAttributes).length).toBe(4);
      // The finalize step's writes go in one local activity whose summary names each.
      expect(cycleRows).toContain(
        `recordVersionChanges: ${modelId}: v${candidate} record rollout completed; v${candidate} promoted → production; v${champion} replaced → archived`,
      );
      expect(cycleRows).toContain(`trainModel: train ${modelId} on ${report.steps[0]!.data!.snapshotId as string}`);
      expect(cycleRows.filter((r) => r.endsWith('(none)'))).toEqual([]);
      expect((await summaries(`${cycleWorkflowId(modelId, 1)}:rollout`)).filter((r) => r.endsWith('(none)'))).toEqual(
        [],
      );
      await recordHistory(ctx.env.client, flywheel.workflowId, 'flywheel-drift-promoted');
      await recordHistory(ctx.env.client, cycleWorkflowId(modelId, 1), 'cycle-auto-approved-promoted');
      await recordHistory(ctx.env.client, `${cycleWorkflowId(modelId, 1)}:rollout`, 'rollout-canary-promoted');
      await stopFlywheel(flywheel);
    });
  });
});
