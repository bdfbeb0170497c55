import type { Client } from '@temporalio/client';
import type { FlywheelAlert } from './alert-schemas.js';
import type { AlertSink } from './alert-sink.js';
import { toFlywheelSignal } from './signal-payload.js';

export interface TemporalAlertSinkOptions {
  client: Client;
  /** Task queue of the flywheel workflow (from config, never a literal here). */
  taskQueue: string;
  /** Workflow type name of the per-model flywheel. */
  workflowType?: string;
  /** Workflow id for a model; the team convention is `flywheel:<modelId>`. */
  workflowId?: (modelId: string) => string;
  /** Arguments to start the flywheel with when it is not running yet. */
  startArgs?: (modelId: string) => unknown[];
}

/**
 * Delivers each alert as a signal-with-start to the model's flywheel: if the flywheel is
 * running it just gets the signal, otherwise Temporal starts it with the signal first in
 * its history. Either way nothing is lost if this process dies right after.
 */
export class TemporalAlertSink implements AlertSink {
  constructor(private readonly options: TemporalAlertSinkOptions) {}

  async signalAlert(alert: FlywheelAlert): Promise<void> {
    const o = this.options;
    const signal = toFlywheelSignal(alert);
    if (!signal.ok) throw new Error(`alert is not a valid flywheel signal: ${signal.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    const workflowId = (o.workflowId ?? ((id: string) => `flywheel:${id}`))(alert.modelId);
    await o.client.workflow.signalWithStart(o.workflowType ?? 'modelFlywheel', {
      workflowId,
      taskQueue: o.taskQueue,
      args: o.startArgs ? o.startArgs(alert.modelId) : [{ modelId: alert.modelId }],
      signal: signal.signal,
      signalArgs: [signal.payload],
    });
  }
}
