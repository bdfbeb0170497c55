import { z } from 'zod';
import { ConfigError, describeIssues } from './connection-config.js';

/** Environment variables of the metrics endpoints every worker process (and `flywheel up`) opens. */
export const METRICS_ENV = {
  host: 'CT_METRICS_HOST',
  workerPort: 'CT_WORKER_METRICS_PORT',
  temporalPort: 'CT_TEMPORAL_METRICS_PORT',
} as const;

/** A port, or `off` (no endpoint). */
const portSetting = z.union([z.literal('off'), z.coerce.number().int().min(1).max(65_535)]);

const MetricsConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    workerPort: portSetting,
    temporalPort: portSetting,
  })
  .strict();

/**
 * Where a process exports metrics: its own registry (`/metrics` on `workerPort`: the
 * monitor's findings, process metrics) and the Temporal SDK Runtime's Prometheus endpoint
 * (`temporalPort`: SDK worker metrics and the flywheel's workflow metrics). Ports are `off`
 * or a number; null means off.
 */
export interface MetricsConfig {
  host: string;
  workerPort: number | null;
  temporalPort: number | null;
}

/** Defaults differ per process so an orchestration and a training worker on one host do not collide. */
export type MetricsDefaults = { workerPort: number; temporalPort: number };

/** The ports `flywheel up` and the orchestration worker use unless told otherwise. */
export const ORCHESTRATION_METRICS_PORTS: MetricsDefaults = { workerPort: 9464, temporalPort: 9465 };
/** The training worker's: the next two. */
export const TRAINING_METRICS_PORTS: MetricsDefaults = { workerPort: 9466, temporalPort: 9467 };

/** Reads the metrics endpoints from the environment (the edge), naming a bad variable. */
export function metricsConfigFromEnv(defaults: MetricsDefaults, env: NodeJS.ProcessEnv = process.env): MetricsConfig {
  const parsed = MetricsConfigSchema.safeParse({
    host: env[METRICS_ENV.host] || undefined,
    workerPort: env[METRICS_ENV.workerPort] || defaults.workerPort,
    temporalPort: env[METRICS_ENV.temporalPort] || defaults.temporalPort,
  });
  if (!parsed.success)
    throw new ConfigError(
      `Invalid metrics config:\n${describeIssues(parsed.error, METRICS_ENV)} (a port 1..65535, or off)`,
    );
  const port = (p: number | 'off') => (p === 'off' ? null : p);
  return {
    host: parsed.data.host,
    workerPort: port(parsed.data.workerPort),
    temporalPort: port(parsed.data.temporalPort),
  };
}
