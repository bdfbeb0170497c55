export { alertWebhook, AlertWebhookConfigError, type AlertWebhookOptions } from './alert-webhook.js';
export type { AlertDelivery, AlertSink } from './alert-sink.js';
export type { RejectedAlert } from './rejected-alert.js';
export { alertScore, type AlertScore, type ScoreInputs } from './alert-score.js';
export { AlertKind, ALERT_SIGNAL, GenericAlertSchema, type FlywheelAlert, type GenericAlert } from './alert-schemas.js';
export { AlertmanagerPayloadSchema, type AlertmanagerPayload } from './alertmanager-schema.js';
export { TemporalAlertSink, AlertSignalError, type TemporalAlertSinkOptions } from './temporal-alert-sink.js';
export { toFlywheelSignal } from './signal-payload.js';
export type { WebhookAuthOptions } from './webhook-auth.js';
export {
  signRequest,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  DEFAULT_TOLERANCE_SECONDS,
  type SignedHeaders,
} from './request-signature.js';
