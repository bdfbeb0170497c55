import type { Logger as PinoLogger } from 'pino';
import type { MetricsConfig } from '../config/metrics-config.js';
import { installRuntimeLogger } from '../logging/logger.js';
import { serveMetrics, type MetricsServer } from '../metrics/metrics-server.js';
import { createWorkerMetrics, type WorkerMetrics } from '../metrics/worker-metrics.js';

export interface MetricsEndpoints {
  metrics: WorkerMetrics;
  /** `http://host:port/metrics` of the process's own registry, when on. */
  workerUrl?: string;
  /** `http://host:port/metrics` of the Temporal SDK Runtime (SDK worker metrics, workflow metrics), when on. */
  temporalUrl?: string;
  close(): Promise<void>;
}

/**
 * Installs the Temporal Runtime (logger, and its Prometheus endpoint on `temporalPort`) and
 * serves the process's own registry on `workerPort`. Call it first in a worker process:
 * the Runtime's telemetry is fixed when it is installed.
 */
export async function startMetricsEndpoints(
  config: MetricsConfig,
  o: { logger?: PinoLogger; processMetrics?: boolean } = {},
): Promise<MetricsEndpoints> {
  const temporalAddress = config.temporalPort === null ? undefined : `${config.host}:${config.temporalPort}`;
  installRuntimeLogger(o.logger, temporalAddress ? { metricsBindAddress: temporalAddress } : {});
  const metrics = createWorkerMetrics({ processMetrics: o.processMetrics ?? true });
  const server: MetricsServer | undefined =
    config.workerPort === null
      ? undefined
      : await serveMetrics(metrics.registry, { host: config.host, port: config.workerPort });
  return {
    metrics,
    ...(server ? { workerUrl: server.url } : {}),
    ...(temporalAddress ? { temporalUrl: `http://${temporalAddress}/metrics` } : {}),
    close: async () => server?.close(),
  };
}
