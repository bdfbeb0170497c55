import { Client, WorkflowFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import type { TriggerBatch } from '../../src/domain/trigger/trigger.js';
import type { CycleInput } from '../../src/workflows/training-cycle/contract.js';
import { cycleWorkflowId } from '../../src/workflows/training-cycle/contract.js';
import type { trainingCycle } from '../../src/workflows/training-cycle/training-cycle-workflow.js';
import { withQuietStderr } from '../support/captured-logs.js';
import { uniqueId } from '../support/smoke-worker.js';
import type { Harness } from './helpers/harness.js';
import { recordHistory } from './helpers/record-history.js';
import { useHarness } from './helpers/use-harness.js';
import { resultReader } from './helpers/wait-for.js';

const ctx = useHarness();

type Acts = Harness['activities'];
/** An activity of the orchestration worker and the call of it during which the cycle is cancelled. */
type CancelPoint = { [K in keyof Acts]: { activity: K; when: (input: Parameters<Acts[K]>[0]) => boolean } }[keyof Acts];

const CHAMPION = 1;
const CANDIDATE = 2;

/**
 * Issue #14: a cancel must never leave the registry and the routing table telling different
 * stories. The cycle is cancelled while each step's activity runs (the activity then
 * completes, as a real one would), from the snapshot to the last finalize write. Before
 * promotion the champion keeps everything; once the rollout child has routed 100 % to the
 * candidate, finalize completes and the candidate is the champion everywhere.
 */
const points: [string, CancelPoint][] = [
  ['while snapshotting', { activity: 'snapshotData', when: () => true }],
  ['while evaluating', { activity: 'evaluateCandidate', when: () => true }],
  ['while registering', { activity: 'registerCandidate', when: () => true }],
  ['during the 5% canary', { activity: 'setRouting', when: (i) => i.routing.canary?.weight === 0.05 }],
  ['finalize: recording the rollout outcome', { activity: 'recordRolloutOutcome', when: (i) => i.outcome.outcome === 'completed' }],
];

describe('cancelling a training cycle at any step', () => {
  it.each(points)('%s: registry stages, aliases and routing agree afterwards', async (label, point) => {
    const modelId = uniqueId('cancel').toLowerCase();
    // No bake timers to skip: a direct switch, except where the cancel lands in the canary.
    const spec = label.includes('canary') ? ctx.h.spec(modelId) : ctx.h.spec(modelId, { rollout: { strategy: 'direct' } });
    expect(await ctx.h.seedChampion(spec)).toBe(CHAMPION);
    const cycleId = cycleWorkflowId(modelId, 1);
    const real = ctx.h.activities[point.activity] as (input: unknown) => Promise<unknown>;
    let cancelled = false;
    // A plain client: the time-skipping one would wait for the skipped time it holds (it holds a time-skipping lock).
    const client = new Client({ connection: ctx.env.connection });
    const outcome = await withQuietStderr(() =>
      ctx.h.run(
        async () => {
          const now = Date.now();
          const trigger: TriggerBatch = { kinds: ['manual'], primary: 'manual', count: 1, firstAt: now, lastAt: now, maxScore: {}, force: true, requestedBy: 'test', samples: [] };
          const input: CycleInput = { modelId, cycle: 1, spec, trigger, trainingTaskQueue: ctx.h.trainingTaskQueue };
          await ctx.env.client.workflow.start<typeof trainingCycle>('trainingCycle', { taskQueue: ctx.h.taskQueue, workflowId: cycleId, args: [input] });
          const result = await resultReader(ctx.env)<CycleReport>(cycleId).catch((e: unknown) => e);
          if (label === 'finalize: recording the rollout outcome') await recordHistory(ctx.env.client, cycleId, 'cycle-cancelled-during-finalize');
          return result;
        },
        {
          // The cancel request reaches the server before the activity does its (real) work.
          [point.activity]: async (input: unknown) => {
            if (!cancelled && (point.when as (i: unknown) => boolean)(input)) {
              cancelled = true;
              await client.workflow.getHandle(cycleId).cancel();
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
    expect((await ctx.h.registry.getAlias(modelId, 'champion'))?.version, 'the champion alias names the production version').toBe(served);
    const routing = await ctx.h.serving.getRouting(modelId);
    expect(routing, 'all traffic goes to the production version').toMatchObject({ championVersion: served });
    expect(routing?.canary).toBeUndefined();
    expect(routing?.shadowVersion).toBeUndefined();

    // What the cycle says agrees with the records.
    if (outcome instanceof WorkflowFailedError) {
      expect(served).toBe(CHAMPION);
      expect(versions.find((v) => v.version === CANDIDATE)?.rollout?.outcome).not.toBe('completed');
    } else {
      const report = outcome as CycleReport;
      expect(report.outcome).toBe('promoted');
      expect(served).toBe(CANDIDATE);
      expect(versions.find((v) => v.version === CHAMPION)?.stage).toBe('archived');
      expect(versions.find((v) => v.version === CANDIDATE)?.rollout?.outcome).toBe('completed');
    }
  });
});
