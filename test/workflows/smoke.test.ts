import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import {
  addNoteSignal,
  FINISH_NOTE,
  SMOKE_LONG_SLEEP_WORKFLOW,
  SMOKE_ROUND_TRIP_WORKFLOW,
  stateQuery,
  type SmokeLongSleepWorkflow,
  type SmokeRoundTripWorkflow,
} from '../../src/contracts/smoke.js';
import { capturedLogs } from '../support/captured-logs.js';
import { bundleSmokeWorkflows, createSmokeWorker, uniqueId } from '../support/smoke-worker.js';
import { timeSkippingEnv } from '../support/time-skipping-env.js';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('smoke on the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    [env, bundle] = await Promise.all([timeSkippingEnv(), bundleSmokeWorkflows()]);
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a workflow round trip with an activity, a signal and a query, and routes workflow and activity logs to pino', async () => {
    const { worker, taskQueue } = await createSmokeWorker(env.nativeConnection, 'default', bundle);
    const workflowId = uniqueId('smoke-roundtrip');
    const result = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start<SmokeRoundTripWorkflow>(SMOKE_ROUND_TRIP_WORKFLOW, {
        args: [{ name: 'ts' }],
        taskQueue,
        workflowId,
      });
      await handle.signal(addNoteSignal.definition, 'first');
      await expect
        .poll(() => handle.query(stateQuery.definition), { timeout: 20_000 })
        .toMatchObject({ greeting: 'Hello, ts', notes: ['first'] });
      await handle.signal(addNoteSignal.definition, FINISH_NOTE);
      return handle.result();
    });
    expect(result).toEqual({ greeting: 'Hello, ts', notes: ['first', FINISH_NOTE], finished: true });

    const mine = capturedLogs().filter((e) => e.workflowId === workflowId);
    expect(mine.find((e) => e.msg === 'smoke workflow greeted')).toMatchObject({
      sdkComponent: 'workflow',
      name: 'ts',
    });
    expect(mine.find((e) => e.msg === 'smoke activity greeting')).toMatchObject({
      sdkComponent: 'activity',
      name: 'ts',
    });
  });

  it('sleeps 30 days of workflow time in seconds of wall time', async () => {
    const { worker, taskQueue } = await createSmokeWorker(env.nativeConnection, 'default', bundle);
    const wallStart = Date.now();
    const serverStart = await env.currentTimeMs();
    const result = await worker.runUntil(
      env.client.workflow.execute<SmokeLongSleepWorkflow>(SMOKE_LONG_SLEEP_WORKFLOW, {
        args: [30],
        taskQueue,
        workflowId: uniqueId('smoke-sleep'),
      }),
    );
    const wallMs = Date.now() - wallStart;
    expect(result.finishedAtMs - result.startedAtMs).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect((await env.currentTimeMs()) - serverStart).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect(wallMs).toBeLessThan(20_000);
  });
});
