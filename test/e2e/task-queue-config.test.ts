import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import { flywheelWorkflowId, retrainRequestedSignal } from '../../src/contracts/model-flywheel.js';
import { cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { uniqueId } from '../support/smoke-worker.js';
import { testSpec } from '../workflows/helpers/harness.js';
import { waitFor } from '../workflows/helpers/wait-for.js';
import { flywheelDev } from './cli-support.js';
import { kill, spawnOrchestrationWorker, spawnTrainingWorker } from './flywheel-helpers.js';

let env: TestWorkflowEnvironment;
let dir: string;

beforeAll(async () => {
  env = await devServerEnv();
  dir = mkdtempSync(join(tmpdir(), 'ct-queues-'));
});
afterAll(async () => {
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

/** The task queue the cycle's `trainModel` was scheduled on, once it is. */
async function trainingQueueOf(cycleId: string): Promise<string | undefined> {
  const history = await env.client.workflow.getHandle(cycleId).fetchHistory();
  const scheduled = history.events?.find(
    (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'trainModel',
  );
  return scheduled?.activityTaskScheduledEventAttributes?.taskQueue?.name ?? undefined;
}

interface Deployment {
  modelId: string;
  /** The CT_* queue variables the worker processes were started with. */
  queues: { CT_ORCHESTRATION_TASK_QUEUE: string; CT_TRAINING_TASK_QUEUE: string };
  specFile: string;
}

/**
 * Runs `fn` against the real worker processes started with their own CT_* queue variables
 * and a spec file for a fresh model (direct rollout, no debounce); cleans up after it.
 */
async function withConfiguredWorkers(fn: (d: Deployment) => Promise<void>): Promise<void> {
  const modelId = uniqueId('queues').toLowerCase();
  const queues = { CT_ORCHESTRATION_TASK_QUEUE: uniqueId('cfg-orch'), CT_TRAINING_TASK_QUEUE: uniqueId('cfg-train') };
  const orchestration = spawnOrchestrationWorker(
    dir,
    queues.CT_ORCHESTRATION_TASK_QUEUE,
    queues.CT_TRAINING_TASK_QUEUE,
  );
  const training = spawnTrainingWorker(dir, queues.CT_TRAINING_TASK_QUEUE);
  const specFile = join(dir, `${modelId}.json`);
  writeFileSync(
    specFile,
    JSON.stringify(testSpec(modelId, { rollout: { strategy: 'direct' }, trigger: { debounceMs: 0 } })),
  );
  try {
    await fn({ modelId, queues, specFile });
  } finally {
    await env.client.workflow
      .getHandle(flywheelWorkflowId(modelId))
      .terminate('test done')
      .catch(() => undefined);
    await Promise.all([kill(orchestration, 'SIGTERM'), kill(training, 'SIGTERM')]);
  }
}

/**
 * The training queue is configured once: the same CT_TRAINING_TASK_QUEUE that the training
 * worker polls is what `flywheel start` hands the flywheel for its cycles. Setting only the
 * variable (no --training-task-queue flag) must not leave training waiting on a queue that
 * no worker polls.
 */
describe('task queues from one config', () => {
  it('flywheel start with only CT_TRAINING_TASK_QUEUE set trains on the queue the training worker polls', () =>
    withConfiguredWorkers(async ({ modelId, queues, specFile }) => {
      // The orchestration queue by flag, the training queue only through the environment.
      const started = await flywheelDev(
        ['start', specFile, '--no-monitor', '--task-queue', queues.CT_ORCHESTRATION_TASK_QUEUE],
        { CT_TRAINING_TASK_QUEUE: queues.CT_TRAINING_TASK_QUEUE },
      );
      expect(started.code, started.stderr).toBe(0);
      await env.client.workflow
        .getHandle(flywheelWorkflowId(modelId))
        .signal(retrainRequestedSignal.definition, { requestedBy: 'e2e' });
      // The workers bundle and connect at start-up: give them time on a busy machine.
      const queue = await waitFor(
        () => trainingQueueOf(cycleWorkflowId(modelId, 1)),
        'trainModel scheduled in cycle 1',
        150_000,
      );
      expect(queue).toBe(queues.CT_TRAINING_TASK_QUEUE);
      const report: CycleReport = await waitFor(
        async () => env.client.workflow.getHandle(cycleWorkflowId(modelId, 1)).result(),
        'cycle 1',
        120_000,
      );
      expect(report.outcome).toBe('promoted');
    }));

  it('a schedule created with only the CT_* queue variables set starts the flywheel, whose cycles train on the configured queue', () =>
    withConfiguredWorkers(async ({ modelId, queues, specFile }) => {
      try {
        // No flywheel runs yet: the schedule's retrain starts it (signal-with-start, with the spec).
        const created = await flywheelDev(
          ['schedule', 'create', modelId, '--every', '24h', '--spec', specFile],
          queues,
        );
        expect(created.code, created.stderr).toBe(0);
        const fired = await flywheelDev(['schedule', 'trigger', modelId], queues);
        expect(fired.code, fired.stderr).toBe(0);
        const queue = await waitFor(
          () => trainingQueueOf(cycleWorkflowId(modelId, 1)),
          'trainModel scheduled in cycle 1',
          150_000,
        );
        expect(queue).toBe(queues.CT_TRAINING_TASK_QUEUE);
      } finally {
        await flywheelDev(['schedule', 'delete', modelId], queues);
      }
    }));

  it('flywheel start with only CT_ORCHESTRATION_TASK_QUEUE set starts the flywheel on the queue the orchestration worker polls', async () => {
    const modelId = uniqueId('queues').toLowerCase();
    const orchestrationQueue = uniqueId('cfg-orch');
    const specFile = join(dir, `${modelId}.json`);
    writeFileSync(specFile, JSON.stringify(testSpec(modelId)));
    try {
      const started = await flywheelDev(['start', specFile, '--no-monitor'], {
        CT_ORCHESTRATION_TASK_QUEUE: orchestrationQueue,
      });
      expect(started.code, started.stderr).toBe(0);
      const described = await env.client.workflow.getHandle(flywheelWorkflowId(modelId)).describe();
      expect(described.taskQueue).toBe(orchestrationQueue);
    } finally {
      await env.client.workflow
        .getHandle(flywheelWorkflowId(modelId))
        .terminate('test done')
        .catch(() => undefined);
    }
  });
});
