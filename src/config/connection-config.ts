import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ActionableError } from './actionable-error.js';

/**
 * How to reach Temporal. The same schema serves the local dev server, a self-hosted
 * cluster (mTLS) and Temporal Cloud (mTLS or API key), so workers and the CLI never
 * branch on "where am I".
 */
const existingFile = (what: string) =>
  z
    .string()
    .min(1)
    .refine(
      (p) => existsSync(p),
      (p) => ({ message: `${what} file not found: ${p}` }),
    );

export const ConnectionConfigSchema = z
  .object({
    address: z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:7233 or my-ns.tmprl.cloud:7233'),
    namespace: z.string().min(1).default('default'),
    tls: z
      .object({
        clientCertPath: existingFile('TLS client certificate').optional(),
        clientKeyPath: existingFile('TLS client key').optional(),
        serverRootCaCertPath: existingFile('TLS server root CA').optional(),
        serverNameOverride: z.string().min(1).optional(),
      })
      .refine((t) => Boolean(t.clientCertPath) === Boolean(t.clientKeyPath), {
        message: 'clientCertPath and clientKeyPath must be given together',
        path: ['clientKeyPath'],
      })
      .optional(),
    apiKey: z.string().min(1).optional(),
  })
  .strict();

export type ConnectionConfig = z.infer<typeof ConnectionConfigSchema>;

/** Environment variables read by {@link connectionConfigFromEnv}, documented in the README. */
export const CONNECTION_ENV = {
  address: 'TEMPORAL_ADDRESS',
  namespace: 'TEMPORAL_NAMESPACE',
  clientCertPath: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  clientKeyPath: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
  serverRootCaCertPath: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  serverNameOverride: 'TEMPORAL_TLS_SERVER_NAME',
  apiKey: 'TEMPORAL_API_KEY',
} as const;

export class ConfigError extends ActionableError {
  override name = 'ConfigError';
}

/** Formats zod issues as `field: reason` lines so a bad config names what to fix. */
export function describeIssues(error: z.ZodError, fieldNames: Record<string, string> = {}): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.');
      const leaf = String(issue.path[issue.path.length - 1] ?? '');
      const source = fieldNames[leaf] ? ` (${fieldNames[leaf]})` : '';
      return `  - ${path || '(root)'}${source}: ${issue.message}`;
    })
    .join('\n');
}

/** Parses a connection config, throwing a {@link ConfigError} that names every bad field. */
export function parseConnectionConfig(raw: unknown): ConnectionConfig {
  const parsed = ConnectionConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`Invalid Temporal connection config:\n${describeIssues(parsed.error, CONNECTION_ENV)}`);
  }
  return parsed.data;
}

/** Reads the connection config from the environment (the edge: workers, CLI, scripts). */
export function connectionConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectionConfig {
  const tlsRaw = {
    clientCertPath: env[CONNECTION_ENV.clientCertPath] || undefined,
    clientKeyPath: env[CONNECTION_ENV.clientKeyPath] || undefined,
    serverRootCaCertPath: env[CONNECTION_ENV.serverRootCaCertPath] || undefined,
    serverNameOverride: env[CONNECTION_ENV.serverNameOverride] || undefined,
  };
  const anyTls = Object.values(tlsRaw).some(Boolean) || env.TEMPORAL_TLS === 'true';
  return parseConnectionConfig({
    address: env[CONNECTION_ENV.address] || '127.0.0.1:7233',
    namespace: env[CONNECTION_ENV.namespace] || 'default',
    tls: anyTls ? tlsRaw : undefined,
    apiKey: env[CONNECTION_ENV.apiKey] || undefined,
  });
}
