import { WorkflowNotFoundError } from '@temporalio/client';
import type { FlywheelClient } from '../clients/flywheel-client.js';
import { flywheelWorkflowId } from '../contracts/model-flywheel.js';
import type { FlywheelAlert } from './alert-schemas.js';
import type { AlertDelivery, AlertSink } from './alert-sink.js';
import { toFlywheelSignal } from './signal-payload.js';

/** Raised when an alert cannot become a flywheel signal (the webhook checks this first). */
export class AlertSignalError extends Error {
  override name = 'AlertSignalError';
}

export interface TemporalAlertSinkOptions {
  /**
   * Let an alert for a model with no running flywheel start one (signal-with-start; it waits
   * for a spec). Off by default: a typo in a `model` label would otherwise create a flywheel.
   */
  startFlywheels?: boolean;
  /** How this deployment turns `startFlywheels` on, appended to the rejection (e.g. the environment variable). */
  startFlywheelsHint?: string;
}

/**
 * Delivers each alert as a signal to the model's running flywheel (`flywheel:<modelId>`).
 * With no running flywheel the alert is not delivered and nothing is created, unless
 * `startFlywheels` is set: then Temporal starts it (without a spec: it waits for one) with
 * the signal first in its history. Either way nothing is lost if this process dies right after.
 */
export class TemporalAlertSink implements AlertSink {
  constructor(
    private readonly flywheels: FlywheelClient,
    private readonly options: TemporalAlertSinkOptions = {},
  ) {}

  async signalAlert(alert: FlywheelAlert): Promise<AlertDelivery> {
    const signal = toFlywheelSignal(alert);
    if (!signal.ok)
      throw new AlertSignalError(
        `alert is not a valid flywheel signal: ${signal.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      );
    if (this.options.startFlywheels) {
      await this.flywheels.send(signal.signal, alert.modelId, signal.payload as never);
      return { delivered: true };
    }
    try {
      await this.flywheels.signal(signal.signal, alert.modelId, signal.payload as never);
      return { delivered: true };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      return {
        delivered: false,
        reason: `no running flywheel ${flywheelWorkflowId(alert.modelId)}: check the model id, or start it with \`flywheel start <spec.yaml>\`${this.options.startFlywheelsHint ? ` (or let alerts start flywheels: ${this.options.startFlywheelsHint})` : ''}`,
      };
    }
  }
}
