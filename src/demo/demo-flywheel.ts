import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { CycleSummary } from '../domain/flywheel/cycle-report.js';
import type { ModelSpec } from '../domain/model-spec/model-spec.js';
import type { FlywheelClient } from '../clients/flywheel-client.js';
import { flywheelWorkflowId, retrainRequestedSignal, updatePolicySignal } from '../contracts/model-flywheel.js';
import { monitorWorkflowId } from '../contracts/production-monitor.js';

/**
 * Terminates what an earlier, interrupted demo left running for this model (same workflow
 * ids), and takes the model off its fleet monitor shard, which watches other models too.
 */
export async function terminateStaleRuns(
  flywheels: FlywheelClient,
  modelId: string,
  reason = 'a new demo run starts',
): Promise<string[]> {
  const { client } = flywheels;
  const monitor = await flywheels.stopMonitor(modelId, reason);
  const ids = new Set<string>([flywheelWorkflowId(modelId), monitorWorkflowId(modelId)]);
  for await (const wf of client.workflow.list({ query: `CtModelId = "${modelId}" AND ExecutionStatus = "Running"` }))
    ids.add(wf.workflowId);
  const terminated: string[] = monitor.wasRunning ? [`${modelId} from ${monitor.workflowId}`] : [];
  for (const id of ids) {
    try {
      await client.workflow.getHandle(id).terminate(reason);
      terminated.push(id);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
  }
  return terminated;
}

/** Starts the model's flywheel with its spec and asks it for a first model (signal-with-start: idempotent). */
export async function startFlywheelWithFirstModel(flywheels: FlywheelClient, spec: ModelSpec): Promise<string> {
  const handle = await flywheels.send(
    retrainRequestedSignal,
    spec.id,
    { requestedBy: 'demo', reason: 'bootstrap: train the first champion', force: true },
    { spec },
  );
  return handle.workflowId;
}

/** Waits until the flywheel reports cycle `cycle` finished, and returns its summary. */
export async function waitForCycle(
  flywheels: FlywheelClient,
  modelId: string,
  cycle: number,
  timeoutMs: number,
): Promise<CycleSummary> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const status = await flywheels.status(modelId);
      const done = status.recentCycles.find((c) => c.cycle === cycle);
      if (done) return done;
    } catch (error) {
      // A query fails while the workflow task fails (e.g. a bug being fixed): keep polling, report it at the end.
      lastError = (error as Error).message;
    }
    await sleep(500);
  }
  const why = lastError ? ` (last query error: ${lastError})` : '';
  throw new Error(
    `cycle ${cycle} of ${modelId} did not finish within ${timeoutMs / 1000} s${why}; open flywheel:${modelId} in the Temporal UI to see where it waits`,
  );
}

/**
 * The data pipeline's part: new labelled data (window `window`) has landed, so the next
 * snapshot should take it. Sent as `updatePolicy` with the spec whose data source points
 * at the new window; it starts nothing by itself.
 */
export async function advanceDataWindow(
  flywheels: FlywheelClient,
  spec: ModelSpec,
  window: number,
): Promise<ModelSpec> {
  if (spec.dataSource.kind !== 'synthetic') throw new Error('the demo spec must use the synthetic data source');
  const next: ModelSpec = { ...spec, dataSource: { ...spec.dataSource, defaultWindow: window } };
  await flywheels.signal(updatePolicySignal, spec.id, {
    by: 'demo-data-pipeline',
    reason: `window ${window} of ${spec.id}'s data has landed`,
    spec: next as unknown as Record<string, unknown>,
  });
  return next;
}
