import { z } from 'zod';
import { ConfigError, describeIssues } from './connection-config.js';

/** Environment variables choosing the serving state (workers, gateway, `flywheel up`). */
export const SERVING_STATE_ENV = {
  kind: 'CT_SERVING_STATE',
  url: 'CT_SERVING_STATE_URL',
} as const;

const postgresUrl = z
  .string()
  .url('must be a URL like postgres://user@127.0.0.1:5432/serving')
  .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// or postgresql:// URL');

/**
 * Where routing, the prediction log and alert claims live. `sqlite` (the default) is
 * `<dataDir>/serving.db`, one machine; `postgres` is one database shared by every gateway
 * replica, worker and webhook (migrated on start, see src/adapters/serving-state/README.md).
 */
export const ServingStateConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite') }).strict(),
  z.object({ kind: z.literal('postgres'), url: postgresUrl }).strict(),
]);

export type ServingStateConfig = z.infer<typeof ServingStateConfigSchema>;

/** Parses a serving-state config, throwing a {@link ConfigError} that names every bad field and its variable. */
export function parseServingStateConfig(raw: unknown): ServingStateConfig {
  const parsed = ServingStateConfigSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(`Invalid serving-state config:\n${describeIssues(parsed.error, SERVING_STATE_ENV)}`);
  return parsed.data;
}

/** Reads the serving-state config from the environment: `CT_SERVING_STATE=postgres` with `CT_SERVING_STATE_URL`. */
export function servingStateConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ServingStateConfig {
  const kind = env[SERVING_STATE_ENV.kind] || 'sqlite';
  const url = env[SERVING_STATE_ENV.url] || undefined;
  if (kind === 'sqlite' && url)
    throw new ConfigError(
      `Invalid serving-state config:\n  - ${SERVING_STATE_ENV.url} is set but ${SERVING_STATE_ENV.kind} is "sqlite": set ${SERVING_STATE_ENV.kind}=postgres to use that database, or unset ${SERVING_STATE_ENV.url}`,
    );
  return parseServingStateConfig({ kind, ...(url ? { url } : {}) });
}
