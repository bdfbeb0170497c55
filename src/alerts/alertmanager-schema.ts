import { z } from 'zod';

const labelSet = z.record(z.string());

/**
 * One alert of an Alertmanager webhook notification (payload version 4, as documented
 * under `webhook_config` in the Alertmanager configuration reference).
 */
export const AlertmanagerAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: z.string().datetime({ offset: true }),
  endsAt: z.string(),
  generatorURL: z.string().default(''),
  // Alertmanager ≥ 0.19 always sends it; older senders fall back to a label hash.
  fingerprint: z.string().min(1).optional(),
});
export type AlertmanagerAlert = z.infer<typeof AlertmanagerAlertSchema>;

/**
 * A whole Alertmanager webhook notification; only version "4" is accepted. Its alerts are
 * parsed one by one ({@link AlertmanagerAlertSchema}, in `alertsFromAlertmanager`): one bad
 * alert is rejected alone and never blocks the others of its group.
 */
export const AlertmanagerPayloadSchema = z.object({
  version: z.literal('4', {
    errorMap: () => ({ message: 'only Alertmanager webhook payload version "4" is supported' }),
  }),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().nonnegative().default(0),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: labelSet,
  commonLabels: labelSet,
  commonAnnotations: labelSet,
  externalURL: z.string(),
  alerts: z.array(z.unknown()).min(1, 'must hold at least one alert'),
});
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayloadSchema>;
