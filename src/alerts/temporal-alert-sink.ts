import type { FlywheelClient } from '../clients/flywheel-client.js';
import type { FlywheelAlert } from './alert-schemas.js';
import type { AlertSink } from './alert-sink.js';
import { toFlywheelSignal } from './signal-payload.js';

/** Raised when an alert cannot become a flywheel signal (the webhook checks this first). */
export class AlertSignalError extends Error {
  override name = 'AlertSignalError';
}

/**
 * Delivers each alert as a signal-with-start to the model's flywheel (`flywheel:<modelId>`):
 * a running flywheel just gets the signal, otherwise Temporal starts it (without a spec: it
 * waits for one) with the signal first in its history. Either way nothing is lost if this
 * process dies right after. The client's task queue and flywheel options say where it starts.
 */
export class TemporalAlertSink implements AlertSink {
  constructor(private readonly flywheels: FlywheelClient) {}

  async signalAlert(alert: FlywheelAlert): Promise<void> {
    const signal = toFlywheelSignal(alert);
    if (!signal.ok)
      throw new AlertSignalError(
        `alert is not a valid flywheel signal: ${signal.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      );
    await this.flywheels.send(signal.signal, alert.modelId, signal.payload as never);
  }
}
