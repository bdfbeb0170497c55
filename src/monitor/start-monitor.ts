import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { ModelSpec } from '../domain/model-spec/model-spec.js';
import { CtModelId } from '../domain/search-attributes.js';
import { TaskQueue } from '../domain/task-queues.js';
import {
  monitorWorkflowId,
  PRODUCTION_MONITOR_WORKFLOW,
  type MonitorSettingsInput,
  type ProductionMonitorInput,
} from '../contracts/production-monitor.js';

/**
 * Starts the production monitor of a model (`flywheel:<id>:monitor`) with the spec's
 * trigger floors as its thresholds. Idempotent: a monitor already running for the model
 * is left as it is (send `updateMonitorSettings` to change it).
 * @returns the workflow id and whether this call started it
 */
export async function startProductionMonitor(
  client: Client,
  spec: ModelSpec,
  settings: MonitorSettingsInput = {},
  taskQueue: string = TaskQueue.orchestration,
): Promise<{ workflowId: string; started: boolean }> {
  const workflowId = monitorWorkflowId(spec.id);
  const { alpha, psiThreshold, compatibility, methods } = spec.validation.drift;
  const input: ProductionMonitorInput = {
    modelId: spec.id,
    floors: { drift: spec.trigger.floors.drift, performance: spec.trigger.floors.performance },
    settings,
    drift: { alpha, psiThreshold, compatibility, methods },
  };
  try {
    await client.workflow.start(PRODUCTION_MONITOR_WORKFLOW, {
      workflowId,
      taskQueue,
      args: [input],
      typedSearchAttributes: [{ key: CtModelId, value: spec.id }],
      staticSummary: `production monitor of ${spec.id}: drift and live accuracy → flywheel signals`,
    });
    return { workflowId, started: true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
    throw error;
  }
}
