import { z } from 'zod';
import { AlertKind, ModelIdSchema } from './alert-schemas.js';

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

const alertKinds = Object.values(AlertKind) as string[];

/** A whole Alertmanager webhook notification; only version "4" is accepted. */
export const AlertmanagerPayloadSchema = z
  .object({
    version: z.literal('4', { errorMap: () => ({ message: 'only Alertmanager webhook payload version "4" is supported' }) }),
    groupKey: z.string(),
    truncatedAlerts: z.number().int().nonnegative().default(0),
    status: z.enum(['firing', 'resolved']),
    receiver: z.string(),
    groupLabels: labelSet,
    commonLabels: labelSet,
    commonAnnotations: labelSet,
    externalURL: z.string(),
    alerts: z.array(AlertmanagerAlertSchema).min(1, 'must hold at least one alert'),
  })
  .superRefine((payload, ctx) => {
    // A firing alert we cannot route is a configuration error the operator must fix:
    // say which alert and which label, instead of dropping it silently.
    payload.alerts.forEach((alert, i) => {
      if (alert.status !== 'firing') return;
      const model = alert.labels.model;
      if (model === undefined) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['alerts', i, 'labels', 'model'],
          message: 'firing alert has no "model" label: add `model: <modelId>` to the alerting rule labels',
        });
      } else if (!ModelIdSchema.safeParse(model).success) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['alerts', i, 'labels', 'model'], message: `invalid model id "${model}"` });
      }
      const kind = alert.labels.kind;
      if (kind !== undefined && !alertKinds.includes(kind)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['alerts', i, 'labels', 'kind'],
          message: `must be one of ${alertKinds.join(', ')} (or absent for drift)`,
        });
      }
    });
  });
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayloadSchema>;
