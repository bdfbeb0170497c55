import { z } from 'zod';
import { ConfigError, describeIssues } from './connection-config.js';

/** Environment variables choosing the model registry (workers, gateway, CLI). */
export const REGISTRY_ENV = {
  kind: 'CT_REGISTRY',
  trackingUri: 'CT_MLFLOW_TRACKING_URI',
} as const;

const httpUrl = z
  .string()
  .url('must be a URL like http://127.0.0.1:5000')
  .refine((u) => /^https?:\/\//.test(u), 'must be an http:// or https:// URL of a MLflow tracking server')
  .transform((u) => u.replace(/\/+$/, ''));

/**
 * Which model registry the processes share. `local` (the default) keeps it under the data
 * dir (`<dataDir>/registry`); `mlflow` uses a MLflow tracking server (registered models,
 * runs, the artifact proxy: src/adapters/registry/README.md).
 */
export const RegistryConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('local') }).strict(),
  z.object({ kind: z.literal('mlflow'), trackingUri: httpUrl }).strict(),
]);

export type RegistryConfig = z.infer<typeof RegistryConfigSchema>;

/** Parses a registry config, throwing a {@link ConfigError} that names every bad field and its variable. */
export function parseRegistryConfig(raw: unknown): RegistryConfig {
  const parsed = RegistryConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`Invalid registry config:\n${describeIssues(parsed.error, REGISTRY_ENV)}`);
  return parsed.data;
}

/** Reads the registry config from the environment: `CT_REGISTRY=mlflow` with `CT_MLFLOW_TRACKING_URI`. */
export function registryConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  const kind = env[REGISTRY_ENV.kind] || 'local';
  const trackingUri = env[REGISTRY_ENV.trackingUri] || undefined;
  if (kind === 'local' && trackingUri)
    throw new ConfigError(
      `Invalid registry config:\n  - ${REGISTRY_ENV.trackingUri} is set but ${REGISTRY_ENV.kind} is "local": set ${REGISTRY_ENV.kind}=mlflow to use that MLflow server, or unset ${REGISTRY_ENV.trackingUri}`,
    );
  return parseRegistryConfig({ kind, ...(trackingUri ? { trackingUri } : {}) });
}
