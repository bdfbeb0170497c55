import type { Client } from '@temporalio/client';
import { ALERT_SIGNAL, type FlywheelAlert } from './alert-schemas.js';
import type { AlertSink } from './alert-sink.js';

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
  /** Builds the signal's argument from an alert (the flywheel contract's payload). */
  signalPayload?: (alert: FlywheelAlert) => unknown;
}

/** Signal payload shape used when the contract does not provide its own mapping. */
export function defaultSignalPayload(alert: FlywheelAlert): Record<string, unknown> {
  return {
    kind: alert.kind,
    source: alert.source,
    ...(alert.score !== undefined ? { score: alert.score } : {}),
    ...(alert.severity !== undefined ? { severity: alert.severity } : {}),
    ...(alert.reason !== undefined ? { reason: alert.reason } : {}),
    ...(alert.fingerprint !== undefined ? { fingerprint: alert.fingerprint } : {}),
    at: new Date(alert.receivedAtMs).toISOString(),
  };
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
    const workflowId = (o.workflowId ?? ((id: string) => `flywheel:${id}`))(alert.modelId);
    await o.client.workflow.signalWithStart(o.workflowType ?? 'modelFlywheel', {
      workflowId,
      taskQueue: o.taskQueue,
      args: o.startArgs ? o.startArgs(alert.modelId) : [{ modelId: alert.modelId }],
      signal: ALERT_SIGNAL[alert.kind],
      signalArgs: [(o.signalPayload ?? defaultSignalPayload)(alert)],
    });
  }
}
