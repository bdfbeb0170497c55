import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import { retrainRequestedSignal } from '../../src/contracts/model-flywheel.js';
import { cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { uniqueId } from '../support/smoke-worker.js';
import { testSpec } from '../workflows/helpers/harness.js';
import { waitFor } from '../workflows/helpers/wait-for.js';
import { kill, spawnOrchestrationWorker, spawnTrainingWorker } from './flywheel-helpers.js';

let env: TestWorkflowEnvironment;
let dir: string;

beforeAll(async () => {
  env = await devServerEnv();
  dir = mkdtempSync(join(tmpdir(), 'ct-workers-'));
});
afterAll(async () => {
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

describe('worker entrypoints', () => {
  it('the orchestration and training worker processes run a cycle from config, then exit cleanly on SIGTERM', async () => {
    const modelId = uniqueId('workers').toLowerCase();
    const taskQueue = uniqueId('proc-orch');
    const trainingTaskQueue = uniqueId('proc-train');
    const orchestration = spawnOrchestrationWorker(dir, taskQueue, trainingTaskQueue);
    const training = spawnTrainingWorker(dir, trainingTaskQueue);
    try {
      const spec = testSpec(modelId, { rollout: { strategy: 'direct' }, trigger: { debounceMs: 0 } });
      const flywheel = await new FlywheelClient(env.client, {
        taskQueue,
        flywheelOptions: { trainingTaskQueue },
      }).start(spec);
      await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'e2e' });
      // The worker bundles the workflows at start-up: give it time on a busy machine.
      const report: CycleReport = await waitFor(
        async () => env.client.workflow.getHandle(cycleWorkflowId(modelId, 1)).result(),
        'cycle 1',
        150_000,
      );
      expect(report.outcome).toBe('promoted');
      await flywheel.terminate('test done');
    } finally {
      const [o, t] = await Promise.all([kill(orchestration, 'SIGTERM'), kill(training, 'SIGTERM')]);
      expect({ orchestration: o, training: t }).toEqual({ orchestration: 0, training: 0 });
    }
  });
});
