import { WorkflowNotFoundError } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { FlywheelMessageRefused } from '../../src/clients/flywheel-client.js';
import {
  driftAlertSignal,
  MODEL_FLYWHEEL_WORKFLOW,
  retrainRequestedSignal,
} from '../../src/contracts/model-flywheel.js';
import { CtModelId, CtStage } from '../../src/domain/search-attributes.js';
import { uniqueId } from '../support/smoke-worker.js';
import { useHarness } from './helpers/use-harness.js';
import { stopFlywheel, waitFor } from './helpers/wait-for.js';

const ctx = useHarness();

/** Names and payloads of the signals in a workflow's history, in order. */
async function signalsIn(workflowId: string): Promise<Array<{ name: string | null | undefined }>> {
  const history = await ctx.env.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) =>
    e.workflowExecutionSignaledEventAttributes ? [{ name: e.workflowExecutionSignaledEventAttributes.signalName }] : [],
  );
}

/** The start input as recorded in the first history event. */
async function startInput(workflowId: string): Promise<unknown> {
  const history = await ctx.env.client.workflow.getHandle(workflowId).fetchHistory();
  const data = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0]?.data;
  return data ? JSON.parse(new TextDecoder().decode(data)) : undefined;
}

describe('FlywheelClient', () => {
  it('refuses a payload the flywheel would drop, naming the field, and starts nothing', async () => {
    const modelId = uniqueId('client-refuse').toLowerCase();
    const flywheels = ctx.h.flywheels();
    const refused = await flywheels
      .send(retrainRequestedSignal, modelId, { requestedBy: '  ' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FlywheelMessageRefused);
    expect((refused as FlywheelMessageRefused).field).toBe('requestedBy');
    expect((refused as FlywheelMessageRefused).messageName).toBe(retrainRequestedSignal.name);
    await expect(flywheels.flywheel(modelId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('refuses a bad signal to a running flywheel before it is sent: nothing reaches its history', async () => {
    const modelId = uniqueId('client-running').toLowerCase();
    const spec = ctx.h.spec(modelId);
    const flywheels = ctx.h.flywheels();
    await ctx.h.run(async () => {
      const flywheel = await flywheels.start(spec);
      await expect(flywheels.signal(driftAlertSignal, modelId, { score: 2 })).rejects.toMatchObject({
        name: 'FlywheelMessageRefused',
        field: 'score',
      });
      await expect(flywheels.send(driftAlertSignal, modelId, { features: 'f1' as never })).rejects.toMatchObject({
        field: 'features',
      });
      const status = await flywheels.status(modelId);
      expect(status.rejectedInputs.count).toBe(0);
      expect(status.triggerCounts.received).toBe(0);
      expect((await signalsIn(flywheel.workflowId)).map((s) => s.name)).not.toContain(driftAlertSignal.name);
      await stopFlywheel(flywheel);
    });
  });

  it('send() starts a missing flywheel with the signal first in its history, on its queues and with its search attributes; a second send reaches the same run', async () => {
    const modelId = uniqueId('client-start').toLowerCase();
    const flywheels = ctx.h.flywheels();
    await ctx.h.run(async () => {
      const first = await flywheels.send(retrainRequestedSignal, modelId, {
        scheduleId: 'nightly',
        source: 'schedule:nightly',
      });
      const description = await first.describe();
      expect(description.type).toBe(MODEL_FLYWHEEL_WORKFLOW);
      expect(description.taskQueue).toBe(ctx.h.taskQueue);
      expect(description.typedSearchAttributes.get(CtModelId)).toBe(modelId);
      expect(description.typedSearchAttributes.get(CtStage)).toBe('idle');
      expect(await signalsIn(first.workflowId)).toEqual([{ name: retrainRequestedSignal.name }]);
      // Started without a spec (it records the trigger and waits for one), its cycles to train on the harness's queue.
      expect(await startInput(first.workflowId)).toEqual({
        modelId,
        options: { trainingTaskQueue: ctx.h.trainingTaskQueue },
      });
      const status = await waitFor(async () => {
        const s = await flywheels.status(modelId);
        return s.triggerCounts.received === 1 && s;
      }, 'the retrain to be counted');
      expect(status.hasSpec).toBe(false);

      const second = await flywheels.send(retrainRequestedSignal, modelId, { requestedBy: 'bob' });
      expect(second.signaledRunId).toBe(first.signaledRunId);
      expect((await signalsIn(first.workflowId)).map((s) => s.name)).toEqual([
        retrainRequestedSignal.name,
        retrainRequestedSignal.name,
      ]);
      await stopFlywheel(first);
    });
  });
});
