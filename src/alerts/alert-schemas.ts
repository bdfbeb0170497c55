import { z } from 'zod';
import {
  alertResolvedSignal,
  driftAlertSignal,
  newDataSignal,
  performanceReportSignal,
  retrainRequestedSignal,
  type FlywheelSignal,
} from '../contracts/model-flywheel.js';
import { modelIdSchema } from '../domain/records/ids.js';

/**
 * What an alert asks the flywheel to consider. Each kind maps to one flywheel signal
 * (see {@link ALERT_SIGNAL}), so the flywheel's trigger policy — not the webhook —
 * decides whether it starts a cycle.
 */
export const AlertKind = {
  drift: 'drift',
  performance: 'performance',
  newData: 'newData',
  retrain: 'retrain',
} as const;
export type AlertKind = (typeof AlertKind)[keyof typeof AlertKind];

const alertKinds = Object.values(AlertKind) as [AlertKind, ...AlertKind[]];

/** The flywheel signal each alert kind becomes (its name, schema and definition). */
export const ALERT_SIGNAL = {
  drift: driftAlertSignal,
  performance: performanceReportSignal,
  newData: newDataSignal,
  retrain: retrainRequestedSignal,
} as const satisfies Record<AlertKind, FlywheelSignal>;
/** What a resolved alert becomes, whatever its kind: the retraction of its pending triggers. */
export const RESOLVED_ALERT_SIGNAL = alertResolvedSignal;
export type AlertSignal = (typeof ALERT_SIGNAL)[AlertKind] | typeof RESOLVED_ALERT_SIGNAL;

/** Model ids become workflow ids (`flywheel:<modelId>`): the registry's rule applies. */
export const ModelIdSchema = modelIdSchema;

/** Body of `POST /v1/alerts`: one alert from any system that can send JSON. */
export const GenericAlertSchema = z
  .object({
    model: ModelIdSchema,
    kind: z.enum(alertKinds, { errorMap: () => ({ message: `must be one of ${alertKinds.join(', ')}` }) }),
    severity: z.enum(['info', 'warning', 'critical']).optional(),
    score: z.number().finite().optional(),
    reason: z.string().min(1).max(2_000).optional(),
    source: z.string().min(1).max(200).optional(),
    /** Optional idempotency key: the same key within the dedup TTL is signalled once. */
    dedupKey: z.string().min(1).max(200).optional(),
  })
  .strict();
export type GenericAlert = z.infer<typeof GenericAlertSchema>;

/** The alert the webhook hands to its sink, whatever format it arrived in. */
export interface FlywheelAlert {
  modelId: string;
  kind: AlertKind;
  severity?: string;
  score?: number;
  reason?: string;
  /** Who raised it, e.g. `alertmanager:ModelDrift` or `http`. */
  source: string;
  /** Alertmanager fingerprint or generic dedupKey, when there is one. */
  fingerprint?: string;
  /** Alertmanager's `startsAt`: with the fingerprint it names one episode of the alert (a re-fire starts a new one). */
  startsAt?: string;
  /** Epoch ms when the webhook received it. */
  receivedAtMs: number;
  /** The alert stopped firing (Alertmanager `status: resolved`): it retracts its pending triggers. */
  resolved?: boolean;
  /** The model version the alert is about (label `model_version` or `version`), when the rule says. */
  observedVersion?: number;
  /** Why the alert was held to its kind's floor (no usable score): see `alertScore`. */
  held?: string;
  /** Its index in an Alertmanager notification. */
  index?: number;
  /** The sender's name of each signal field (`reason` → `alerts[0].annotations.summary`), for refusals. */
  fields?: Partial<Record<string, string>>;
}
