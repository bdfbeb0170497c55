import { z } from 'zod';
import { ConfigError, describeIssues } from './connection-config.js';

/** Environment variables of a gateway + webhook process (`flywheel gateway`). */
export const GATEWAY_ENV = {
  host: 'CT_GATEWAY_HOST',
  port: 'CT_GATEWAY_PORT',
  webhookToken: 'FLYWHEEL_WEBHOOK_TOKEN',
  webhookHmacSecret: 'FLYWHEEL_WEBHOOK_HMAC_SECRET',
  hmacToleranceSeconds: 'CT_WEBHOOK_HMAC_TOLERANCE',
  replicaId: 'CT_GATEWAY_REPLICA_ID',
} as const;

export const GatewayConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65_535).default(8080),
    webhookToken: z.string().min(8, 'use at least 8 characters').optional(),
    webhookHmacSecret: z.string().min(8, 'use at least 8 characters').optional(),
    hmacToleranceSeconds: z.coerce.number().int().min(1).max(86_400).optional(),
    /** Names this replica in the prediction log (and the rollout's judgement); unset, rows name none. */
    replicaId: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((c) => c.webhookToken || c.webhookHmacSecret, {
    message: `set ${GATEWAY_ENV.webhookToken} and/or ${GATEWAY_ENV.webhookHmacSecret}: every replica must accept the same credentials`,
    path: ['webhookToken'],
  });
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;

/** Reads the gateway's listen address and webhook credentials from the environment, naming each bad variable. */
export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const raw = Object.fromEntries(
    Object.entries(GATEWAY_ENV).flatMap(([key, name]) => (env[name] ? [[key, env[name]]] : [])),
  );
  const parsed = GatewayConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid gateway config:\n${describeIssues(parsed.error, GATEWAY_ENV)}`);
  return parsed.data;
}
