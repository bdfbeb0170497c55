import type { Client } from '@temporalio/client';
import { CtModelId } from '../domain/search-attributes.js';
import { TaskQueue } from '../domain/task-queues.js';
import { MODEL_FLYWHEEL_WORKFLOW, flywheelWorkflowId, type FlywheelInput } from '../contracts/model-flywheel.js';
import type { FlywheelAlert } from './alert-schemas.js';
import type { AlertSink } from './alert-sink.js';
import { toFlywheelSignal } from './signal-payload.js';

export interface TemporalAlertSinkOptions {
  client: Client;
  /** Task queue of the flywheel workflow (default: the orchestration queue). */
  taskQueue?: string;
  /** Input to start a flywheel that is not running yet (default `{ modelId }`: it waits for a spec). */
  startInput?: (modelId: string) => FlywheelInput;
}

/** Raised when an alert cannot become a flywheel signal (the webhook checks this first). */
export class AlertSignalError extends Error {
  override name = 'AlertSignalError';
}

/**
 * Delivers each alert as a signal-with-start to the model's flywheel (`flywheel:<modelId>`):
 * a running flywheel just gets the signal, otherwise Temporal starts it with the signal
 * first in its history. Either way nothing is lost if this process dies right after.
 */
export class TemporalAlertSink implements AlertSink {
  constructor(private readonly options: TemporalAlertSinkOptions) {}

  async signalAlert(alert: FlywheelAlert): Promise<void> {
    const signal = toFlywheelSignal(alert);
    if (!signal.ok) throw new AlertSignalError(`alert is not a valid flywheel signal: ${signal.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    const input = this.options.startInput ? this.options.startInput(alert.modelId) : { modelId: alert.modelId };
    await this.options.client.workflow.signalWithStart(MODEL_FLYWHEEL_WORKFLOW, {
      workflowId: flywheelWorkflowId(alert.modelId),
      taskQueue: this.options.taskQueue ?? TaskQueue.orchestration,
      args: [input],
      typedSearchAttributes: [{ key: CtModelId, value: alert.modelId }],
      signal: signal.signal,
      signalArgs: [signal.payload],
    });
  }
}
