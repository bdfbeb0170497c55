import type { FlywheelAlert } from './alert-schemas.js';

/** What became of one alert: signalled, or not because its model has no running flywheel (the reason says how to start one). */
export type AlertDelivery = { delivered: true } | { delivered: false; reason: string };

/**
 * Where a valid alert goes. The webhook only knows this port; the real implementation
 * ({@link TemporalAlertSink}) signals the model's running flywheel workflow.
 */
export interface AlertSink {
  /** Delivers one alert; rejects when it could not be delivered for now (the caller answers 503). */
  signalAlert(alert: FlywheelAlert): Promise<AlertDelivery>;
}
