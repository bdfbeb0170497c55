import { Client, WorkflowFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import type { TriggerBatch } from '../../src/domain/trigger/trigger.js';
import type { CycleInput } from '../../src/contracts/training-cycle.js';
import { cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { rolloutWorkflowId } from '../../src/contracts/rollout.js';
import type { trainingCycle } from '../../src/workflows/training-cycle/training-cycle-workflow.js';
import { withQuietStderr } from '../support/captured-logs.js';
import { uniqueId } from '../support/smoke-worker.js';
import type { Harness } from './helpers/harness.js';
import { recordHistory } from './helpers/record-history.js';
import { useHarness } from './helpers/use-harness.js';
import { resultReader, waitFor } from './helpers/wait-for.js';

const ctx = useHarness();

type Acts = Harness['activities'];
/** An activity of the orchestration worker and the call of it during which the cycle is cancelled. */
type CancelPoint = { [K in keyof Acts]: { activity: K; when: (input: Parameters<Acts[K]>[0]) => boolean } }[keyof Acts];

const CHAMPION = 1;
const CANDIDATE = 2;

/** Where the cancel lands, and what history (if any) the run records for the replay test. */
type Point = CancelPoint & { registered: boolean; record?: { cycle: string; rollout?: string } };

/**
 * Issue #14: a cancel must never leave the registry and the routing table telling different
 * stories. The cycle is cancelled while each step's activity runs, from the snapshot to the
 * last finalize write, including every lifecycle event. Before promotion the champion keeps
 * everything and the candidate ends rolled back (or unregistered); once the rollout child has
 * routed 100 % to the candidate, finalize completes and the candidate is the champion everywhere.
 */
const points: [string, Point][] = [
  ['snapshot', { activity: 'snapshotData', when: () => true, registered: false }],
  ['validate', { activity: 'validateData', when: () => true, registered: false }],
  ['train', { activity: 'trainModel', when: () => true, registered: false }],
  ['evaluate', { activity: 'evaluateCandidate', when: () => true, registered: false }],
  ['register', { activity: 'registerCandidate', when: () => true, registered: false }],
  [
    'approval: recording the approval and the approved event',
    {
      activity: 'recordVersionChanges',
      when: (i) => i.changes.some((c) => c.kind === 'event' && c.event === 'approved'),
      registered: true,
    },
  ],
  [
    'rollout: the rolloutStarted event (challenger alias)',
    { activity: 'applyVersionEvent', when: (i) => i.event === 'rolloutStarted', registered: true },
  ],
  [
    'rollout: during the 5% canary',
    {
      activity: 'setRouting',
      when: (i) => i.routing.canary?.weight === 0.05,
      registered: true,
      record: { cycle: 'cycle-events-cancelled-mid-canary', rollout: 'rollout-cancelled-during-routing' },
    },
  ],
  [
    'finalize: the rollout outcome, the promoted event (production, champion alias) and the replaced one',
    {
      activity: 'recordVersionChanges',
      when: (i) => i.changes.some((c) => c.kind === 'event' && c.event === 'promoted'),
      registered: true,
      record: { cycle: 'cycle-events-cancelled-during-finalize' },
    },
  ],
];

/**
 * Waits until `workflowId` has completed a workflow task after its cancel request: the
 * workflow has reacted to the cancel while the activity is still running. The activity's
 * own work is held until then because the Java time-skipping server refuses a workflow task
 * that cancels an activity which completed while that task was in flight (FAILED_PRECONDITION
 * "ACTIVITY_UNKNOWN for scheduledEventId=N"; a real server accepts it), and then never
 * retries the task: the cycle hung until the test timed out. Holding the activity also makes
 * the order the test checks the hard one: its write lands after the cycle began to unwind.
 */
async function cancelSeen(client: Client, workflowId: string): Promise<void> {
  await waitFor(async () => {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const requested = events.findIndex((e) => e.workflowExecutionCancelRequestedEventAttributes);
    return requested >= 0 && events.slice(requested).some((e) => e.workflowTaskCompletedEventAttributes);
  }, `${workflowId} to react to its cancel request`);
}

describe('cancelling a training cycle at any step', () => {
  it.each(points)('%s: registry stages, aliases and routing agree afterwards', async (label, point) => {
    const modelId = uniqueId('cancel').toLowerCase();
    const cycleId = cycleWorkflowId(modelId, 1);
    // No bake timers to skip: a direct switch, except where the cancel lands in the canary.
    const spec = label.includes('canary')
      ? ctx.h.spec(modelId)
      : ctx.h.spec(modelId, { rollout: { strategy: 'direct' } });
    // The rollout child runs setRouting; every other activity here is the cycle's.
    const scheduler = point.activity === 'setRouting' ? rolloutWorkflowId(cycleId) : cycleId;
    expect(await ctx.h.seedChampion(spec)).toBe(CHAMPION);
    const real = ctx.h.activities[point.activity] as (input: unknown) => Promise<unknown>;
    let cancelled = false;
    // A plain client: the time-skipping one would wait for the skipped time it holds (it holds a time-skipping lock).
    const client = new Client({ connection: ctx.env.connection });
    const outcome = await withQuietStderr(() =>
      ctx.h.run(
        async () => {
          const now = Date.now();
          const trigger: TriggerBatch = {
            kinds: ['manual'],
            primary: 'manual',
            count: 1,
            firstAt: now,
            lastAt: now,
            maxScore: {},
            force: true,
            requestedBy: 'test',
            samples: [],
          };
          const input: CycleInput = { modelId, cycle: 1, spec, trigger, trainingTaskQueue: ctx.h.trainingTaskQueue };
          await ctx.env.client.workflow.start<typeof trainingCycle>('trainingCycle', {
            taskQueue: ctx.h.taskQueue,
            workflowId: cycleId,
            args: [input],
          });
          const result = await resultReader(ctx.env)<CycleReport>(cycleId).catch((e: unknown) => e);
          if (point.record) await recordHistory(ctx.env.client, cycleId, point.record.cycle);
          if (point.record?.rollout)
            await recordHistory(ctx.env.client, rolloutWorkflowId(cycleId), point.record.rollout);
          return result;
        },
        {
          // The cancel request reaches the server, and the workflow reacts to it, before the activity does its (real) work.
          [point.activity]: async (input: unknown) => {
            if (!cancelled && (point.when as (i: unknown) => boolean)(input)) {
              cancelled = true;
              await client.workflow.getHandle(cycleId).cancel();
              await cancelSeen(client, scheduler);
            }
            return real(input);
          },
        },
      ),
    );
    expect(cancelled, `the cycle reached the cancel point (${label})`).toBe(true);

    const versions = await ctx.h.registry.listVersions(modelId);
    const production = versions.filter((v) => v.stage === 'production').map((v) => v.version);
    expect(production, 'exactly one version in production').toHaveLength(1);
    const served = production[0]!;
    expect(
      (await ctx.h.registry.getAlias(modelId, 'champion'))?.version,
      'the champion alias names the production version',
    ).toBe(served);
    const routing = await ctx.h.serving.getRouting(modelId);
    expect(routing, 'all traffic goes to the production version').toMatchObject({ championVersion: served });
    expect(routing?.canary).toBeUndefined();
    expect(routing?.shadowVersion).toBeUndefined();

    // No rollout is left in progress: nobody holds the challenger alias.
    expect(
      (await ctx.h.registry.getAliases(modelId)).aliases.challenger,
      'no challenger after the cycle ended',
    ).toBeUndefined();

    // What the cycle says agrees with the records.
    const candidate = versions.find((v) => v.version === CANDIDATE);
    if (outcome instanceof WorkflowFailedError) {
      expect(served).toBe(CHAMPION);
      expect(candidate?.rollout?.outcome).not.toBe('completed');
      // A candidate the cycle knew of is rolled back; one whose registration the cancel overtook was never approved.
      expect(candidate?.stage ?? 'none').toBe(point.registered ? 'rolled_back' : candidate ? 'candidate' : 'none');
    } else {
      const report = outcome as CycleReport;
      expect(report.outcome).toBe('promoted');
      expect(served).toBe(CANDIDATE);
      expect(versions.find((v) => v.version === CHAMPION)?.stage).toBe('archived');
      expect(candidate?.rollout?.outcome).toBe('completed');
    }
  });
});
