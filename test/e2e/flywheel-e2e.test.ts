import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import type { ModelSpecInput } from '../../src/domain/model-spec/model-spec.js';
import {
  createRetrainSchedule,
  deleteRetrainSchedule,
  listRetrainSchedules,
  triggerRetrainSchedule,
} from '../../src/schedules/retrain-schedules.js';
import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import { buildActivities } from '../../src/workers/build-activities.js';
import { flywheelWorkflowId, retrainRequestedSignal, statusQuery } from '../../src/contracts/model-flywheel.js';
import { cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { uniqueId } from '../support/smoke-worker.js';
import { startTestWorkers } from '../support/test-workers.js';
import { bundleWorkflows } from '../workflows/helpers/bundle.js';
import { testSpec } from '../workflows/helpers/harness.js';
import { waitFor } from '../workflows/helpers/wait-for.js';
import { kill, spawnTrainingWorker } from './flywheel-helpers.js';

let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let dir: string;
let built: ReturnType<typeof buildActivities>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  env = await devServerEnv();
  bundle = await bundleWorkflows();
});
afterAll(async () => {
  await env?.teardown();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ct-e2e-'));
  built = buildActivities(dir);
});
afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => kill(c, 'SIGKILL')));
  await built.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Real time on the dev server: no bakes, no debounce, first model served directly. */
const e2eSpec = (id: string, over: Partial<ModelSpecInput> = {}) =>
  testSpec(id, { rollout: { strategy: 'direct' }, trigger: { debounceMs: 0, cooldownMs: 0 }, ...over });

async function withOrchestration<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = uniqueId('e2e-orch');
  // Training runs in the spawned training worker processes; this process only orchestrates.
  const workers = await startTestWorkers(env, { taskQueue, bundle, activities: built.activities, client: env.client });
  return workers.runUntil(fn(taskQueue));
}

describe('flywheel on the dev server', () => {
  it('a training worker killed with SIGKILL mid-training is replaced and training resumes from its checkpoint', async () => {
    const modelId = uniqueId('kill').toLowerCase();
    const trainingQueue = uniqueId('e2e-train');
    const spec = e2eSpec(modelId, {
      dataSource: {
        kind: 'synthetic',
        generator: { name: 'sea', noise: 0.1 },
        seed: 42,
        rowsPerWindow: 20000,
        heldOutFraction: 0.25,
      },
      trainer: {
        kind: 'builtin',
        strategy: 'fullRetrain',
        hyperparameters: { epochs: 3000, learningRate: 0.5, l2: 0.0001, batchSize: 256, seed: 1 },
      },
    });
    children.push(spawnTrainingWorker(dir, trainingQueue));
    const report = await withOrchestration(async (taskQueue) => {
      const flywheel = await new FlywheelClient(env.client, {
        taskQueue,
        flywheelOptions: { trainingTaskQueue: trainingQueue },
      }).start(spec);
      await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'e2e' });
      const cycle = env.client.workflow.getHandle(cycleWorkflowId(modelId, 1));
      // Training is under way once the server has the activity's first heartbeat (with a checkpoint).
      await waitFor(
        async () => {
          const d = await cycle.describe();
          const training = d.raw.pendingActivities?.find((a) => a.activityType?.name === 'trainModel');
          return Boolean(training?.heartbeatDetails?.payloads?.length);
        },
        'the first training heartbeat',
        120_000,
      );
      await kill(children[0]!, 'SIGKILL');
      children.push(spawnTrainingWorker(dir, trainingQueue)); // the replacement
      const r: CycleReport = await cycle.result();
      await flywheel.terminate('test done');
      return r;
    });
    expect(report.resumedFromCheckpoint).toBe(true);
    expect(report.steps.find((s) => s.step === 'train')?.detail).toContain(
      'resumed from a checkpoint after a worker was lost',
    );
    expect(report.outcome).toBe('promoted');
  });

  it('a Schedule fires a retrain; visibility finds the flywheel and its cycles by CtModelId and CtStage', async () => {
    const modelId = uniqueId('sched').toLowerCase();
    const trainingQueue = uniqueId('e2e-train');
    const spec = e2eSpec(modelId);
    children.push(spawnTrainingWorker(dir, trainingQueue));
    await withOrchestration(async (taskQueue) => {
      const scheduleId = await createRetrainSchedule(env.client, {
        modelId,
        every: '1d',
        spec,
        taskQueue,
        note: 'e2e',
      });
      try {
        await waitFor(
          async () => (await listRetrainSchedules(env.client, modelId)).some((s) => s.scheduleId === scheduleId),
          'the schedule to be listed',
        );
        // The scheduled workflow starts the flywheel without training options: send them first.
        await new FlywheelClient(env.client, {
          taskQueue,
          flywheelOptions: { trainingTaskQueue: trainingQueue },
        }).start(spec);
        await triggerRetrainSchedule(env.client, scheduleId);
        const report: CycleReport = await waitFor(
          async () => env.client.workflow.getHandle(cycleWorkflowId(modelId, 1)).result(),
          'cycle 1',
          120_000,
        );
        expect(report.trigger).toMatchObject({
          primary: 'schedule',
          samples: [{ kind: 'schedule', source: `schedule:${scheduleId}` }],
        });
        expect(report.outcome).toBe('promoted');

        const flywheel = env.client.workflow.getHandle(flywheelWorkflowId(modelId));
        const status = await flywheel.query(statusQuery.definition);
        expect(status.recentCycles[0]).toMatchObject({ trigger: 'schedule', outcome: 'promoted' });

        const found = await waitFor(async () => {
          const ids: string[] = [];
          for await (const w of env.client.workflow.list({ query: `CtModelId = "${modelId}"` })) ids.push(w.workflowId);
          return ids.length >= 2 && ids;
        }, 'visibility by CtModelId');
        expect(found).toEqual(expect.arrayContaining([flywheelWorkflowId(modelId), cycleWorkflowId(modelId, 1)]));
        const promoted = await waitFor(async () => {
          const ids: string[] = [];
          for await (const w of env.client.workflow.list({
            query: `CtModelId = "${modelId}" AND CtStage = "promoted"`,
          }))
            ids.push(w.workflowId);
          return ids.length >= 1 && ids;
        }, 'visibility by CtStage');
        expect(promoted).toEqual([cycleWorkflowId(modelId, 1)]);
        await flywheel.terminate('test done');
      } finally {
        await deleteRetrainSchedule(env.client, scheduleId);
      }
    });
  });
});
