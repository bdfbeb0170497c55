import type { Client, WorkflowHandleWithSignaledRunId } from '@temporalio/client';
import type { ModelSpec } from '../domain/model-spec/model-spec.js';
import { CtModelId, CtStage } from '../domain/search-attributes.js';
import { TaskQueue } from '../domain/task-queues.js';
import type { RetrainRequest } from '../domain/signals.js';
import { MODEL_FLYWHEEL_WORKFLOW, flywheelWorkflowId, type FlywheelInput, type FlywheelOptions } from '../workflows/model-flywheel/contract.js';
import type { modelFlywheel } from '../workflows/model-flywheel/model-flywheel-workflow.js';

/**
 * Starts the model's flywheel, or updates its spec if it already runs: one
 * signal-with-start (`updatePolicy` carrying the spec), so calling it twice is harmless.
 */
export async function startFlywheel(client: Client, spec: ModelSpec, options?: FlywheelOptions & { taskQueue?: string }): Promise<WorkflowHandleWithSignaledRunId<typeof modelFlywheel>> {
  const { taskQueue, ...flywheelOptions } = options ?? {};
  const input: FlywheelInput = { modelId: spec.id, spec, ...(Object.keys(flywheelOptions).length > 0 ? { options: flywheelOptions } : {}) };
  return client.workflow.signalWithStart<typeof modelFlywheel, [{ spec: Record<string, unknown> }]>(MODEL_FLYWHEEL_WORKFLOW, {
    workflowId: flywheelWorkflowId(spec.id),
    taskQueue: taskQueue ?? TaskQueue.orchestration,
    args: [input],
    signal: 'updatePolicy',
    signalArgs: [{ spec: spec as unknown as Record<string, unknown> }],
    typedSearchAttributes: [
      { key: CtModelId, value: spec.id },
      { key: CtStage, value: 'idle' },
    ],
    staticSummary: `continuous training of ${spec.id}`,
  });
}

/**
 * Signals a retrain to the model's flywheel, starting it (without a spec, if `spec` is
 * absent) when it is not running: on `queues.taskQueue`, its cycles training on
 * `queues.trainingTaskQueue`. Used by the scheduled retrain activity.
 */
export async function signalRetrain(
  client: Client,
  modelId: string,
  request: Partial<RetrainRequest>,
  spec?: ModelSpec,
  queues: { taskQueue?: string; trainingTaskQueue?: string } = {},
): Promise<string> {
  const workflowId = flywheelWorkflowId(modelId);
  const taskQueue = queues.taskQueue ?? TaskQueue.orchestration;
  const input: FlywheelInput = { modelId, ...(spec ? { spec } : {}), ...(queues.trainingTaskQueue ? { options: { trainingTaskQueue: queues.trainingTaskQueue } } : {}) };
  await client.workflow.signalWithStart<typeof modelFlywheel, [Partial<RetrainRequest>]>(MODEL_FLYWHEEL_WORKFLOW, {
    workflowId,
    taskQueue,
    args: [input],
    signal: 'retrainRequested',
    signalArgs: [request],
    typedSearchAttributes: [
      { key: CtModelId, value: modelId },
      { key: CtStage, value: 'idle' },
    ],
  });
  return workflowId;
}
