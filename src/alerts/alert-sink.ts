import type { FlywheelAlert } from './alert-schemas.js';

/**
 * Where a valid alert goes. The webhook only knows this port; the real implementation
 * ({@link TemporalAlertSink}) signal-with-starts the model's flywheel workflow.
 */
export interface AlertSink {
  /** Delivers one alert; rejects when it could not be delivered (the caller answers 503). */
  signalAlert(alert: FlywheelAlert): Promise<void>;
}
