import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScheduleNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { CtModelId } from '../../src/domain/search-attributes.js';
import {
  addNoteSignal,
  FINISH_NOTE,
  SMOKE_ROUND_TRIP_WORKFLOW,
  stateQuery,
  type SmokeRoundTripWorkflow,
} from '../../src/contracts/smoke.js';
import { bundleSmokeWorkflows, createSmokeWorker, uniqueId } from '../support/smoke-worker.js';
import { devServerEnv } from '../support/dev-server-env.js';

describe('smoke on the dev server (Temporal CLI)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  const namespace = () => env.namespace ?? 'default';

  beforeAll(async () => {
    [env, bundle] = await Promise.all([devServerEnv(), bundleSmokeWorkflows()]);
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a workflow round trip with a signal and a query, found by a CtModelId visibility query', async () => {
    const { worker, taskQueue } = await createSmokeWorker(env.nativeConnection, namespace(), bundle);
    const workflowId = uniqueId('smoke-dev');
    const modelId = uniqueId('model');
    const result = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start<SmokeRoundTripWorkflow>(SMOKE_ROUND_TRIP_WORKFLOW, {
        args: [{ name: 'dev' }],
        taskQueue,
        workflowId,
        typedSearchAttributes: [{ key: CtModelId, value: modelId }],
      });
      await handle.signal(addNoteSignal.definition, 'first');
      await expect
        .poll(() => handle.query(stateQuery.definition), { timeout: 20_000 })
        .toMatchObject({ greeting: 'Hello, dev', notes: ['first'] });

      // Visibility is eventually consistent: poll until the index has caught up.
      const found = async () => {
        const ids: string[] = [];
        for await (const wf of env.client.workflow.list({ query: `CtModelId = "${modelId}"` })) ids.push(wf.workflowId);
        return ids;
      };
      await expect.poll(found, { timeout: 30_000, interval: 250 }).toEqual([workflowId]);

      await handle.signal(addNoteSignal.definition, FINISH_NOTE);
      return handle.result();
    });
    expect(result).toEqual({ greeting: 'Hello, dev', notes: ['first', FINISH_NOTE], finished: true });
  });

  it('creates, describes and deletes a Schedule', async () => {
    const scheduleId = uniqueId('smoke-schedule');
    const handle = await env.client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '1 day' }] },
      action: { type: 'startWorkflow', workflowType: 'smokeLongSleep', args: [1], taskQueue: uniqueId('smoke-tq') },
      state: { paused: true, note: 'smoke test' },
    });
    const described = await handle.describe();
    expect(described.scheduleId).toBe(scheduleId);
    expect(described.state).toMatchObject({ paused: true, note: 'smoke test' });
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'smokeLongSleep' });
    expect(described.spec.intervals?.[0]?.every).toBe(24 * 60 * 60 * 1000);

    await handle.delete();
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });
});
