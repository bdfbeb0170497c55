import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { FlywheelClient } from '../clients/flywheel-client.js';
import { clientConnectionOptions, workerConnectionOptions } from '../config/connect.js';
import type { ConnectionConfig } from '../config/connection-config.js';
import { DATA_DIR_ENV } from '../config/data-dir.js';
import { logger, writeLogsToFile } from '../logging/logger.js';
import { metricsConfigFromEnv, ORCHESTRATION_METRICS_PORTS } from '../config/metrics-config.js';
import { flywheelQueueOptions } from '../config/task-queue-config.js';
import { startMetricsEndpoints } from './metrics-endpoints.js';
import { WorkerRole } from './activity-roles.js';
import { buildActivities } from './build-activities.js';
import { startGatewayServer } from './gateway-server.js';
import { startWorkers } from './start-workers.js';
import { workerConfigFromEnv } from './worker-config.js';

export interface LocalStackOptions {
  connection: ConnectionConfig;
  dataDir: string;
  /** Gateway and webhook listen address. */
  host: string;
  port: number;
  /** Webhook credentials: a bearer token and/or an HMAC secret (with its timestamp window). */
  webhookAuth: { bearerToken?: string; hmacSecret?: string; hmacToleranceSeconds?: number };
  /** JSON logs go to this file (appended) instead of stderr. */
  logFile?: string;
}

export interface LocalStack {
  /** Base URL of the gateway and webhook. */
  url: string;
  /** The workers' metrics endpoints (`CT_WORKER_METRICS_PORT`: monitor and flywheels; `CT_TEMPORAL_METRICS_PORT`: Temporal SDK), when on. */
  metrics: { worker?: string; temporal?: string };
  orchestrationTaskQueue: string;
  trainingTaskQueue: string;
  maxTrainingActivities: number;
  /** Settles when a worker stops on its own (rejects when one fails). */
  done: Promise<void>;
  /** Closes the gateway, drains the workers, then closes storage and connections. */
  close(): Promise<void>;
}

/**
 * Everything `flywheel up` runs in one process: both workers, the serving gateway and the
 * alert webhook, over the embedded adapters in `dataDir`. Worker tuning and queue names
 * come from the same CT_* variables as the standalone workers; connection and data dir
 * from the caller.
 */
export async function startLocalStack(o: LocalStackOptions): Promise<LocalStack> {
  // Before the runtime logger: every SDK line (the workflow bundle report too) follows the switch.
  if (o.logFile) writeLogsToFile(o.logFile);
  const config = { ...workerConfigFromEnv({ ...process.env, [DATA_DIR_ENV]: o.dataDir }), connection: o.connection };
  // Installs the runtime logger too. The gateway's /metrics has the process metrics: the worker registry does not repeat them.
  const endpoints = await startMetricsEndpoints(metricsConfigFromEnv(ORCHESTRATION_METRICS_PORTS), {
    logger,
    processMetrics: false,
  });
  const { activities, registry, servingState } = buildActivities(
    config.dataDir,
    config.registry,
    endpoints.metrics.monitor,
    config.servingState,
  );
  const native = await NativeConnection.connect(workerConnectionOptions(o.connection));
  const connection = await Connection.connect(clientConnectionOptions(o.connection));
  const client = new Client({ connection, namespace: o.connection.namespace });
  // Flywheels an alert starts run on our queues, their cycles training where our training worker polls.
  const flywheels = new FlywheelClient(client, {
    taskQueue: config.orchestrationTaskQueue,
    flywheelOptions: flywheelQueueOptions(config),
  });
  const workers = await startWorkers({
    config,
    deps: { connection: native, client, activities, flywheelMetrics: endpoints.metrics.flywheel },
    roles: [WorkerRole.orchestration, WorkerRole.training],
  });
  // De-dup and replay claims live in the serving-state file, so a restart of `up` keeps them.
  const { app, url } = await startGatewayServer({
    registry,
    servingState,
    claims: servingState.alertClaims(),
    flywheels,
    webhookAuth: o.webhookAuth,
    host: o.host,
    port: o.port,
  });

  return {
    url,
    metrics: {
      ...(endpoints.workerUrl ? { worker: endpoints.workerUrl } : {}),
      ...(endpoints.temporalUrl ? { temporal: endpoints.temporalUrl } : {}),
    },
    orchestrationTaskQueue: config.orchestrationTaskQueue,
    trainingTaskQueue: config.trainingTaskQueue,
    maxTrainingActivities: config.maxTrainingActivities,
    done: workers.done,
    async close() {
      let failure: unknown;
      try {
        await app.close();
        await workers.stop().catch((err: unknown) => (failure ??= err));
      } finally {
        await servingState.close();
        await endpoints.close();
        registry.close();
        await connection.close();
        await native.close();
      }
      if (failure) throw failure;
    },
  };
}
