import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { connectClient, connectWorker } from '../config/connect.js';
import { runMain } from '../config/fail-fast.js';
import { logger } from '../logging/logger.js';
import { metricsConfigFromEnv, ORCHESTRATION_METRICS_PORTS } from '../config/metrics-config.js';
import { startMetricsEndpoints } from './metrics-endpoints.js';
import { WorkerRole } from './activity-roles.js';
import { buildActivities } from './build-activities.js';
import { startWorkers } from './start-workers.js';
import { workerConfigFromEnv } from './worker-config.js';

/**
 * The orchestration worker (`ct-orchestration`): every workflow plus the light activities
 * (data snapshot/validation, evaluation, registry, routing, live metrics, client calls).
 * Training stays on the training workers. SIGINT/SIGTERM shut it down gracefully: the
 * Runtime stops polling, running activities get the grace period, then it exits.
 */
export async function main(): Promise<void> {
  // Config first: a bad config fails before anything starts the Temporal runtime.
  const config = workerConfigFromEnv();
  const endpoints = await startMetricsEndpoints(metricsConfigFromEnv(ORCHESTRATION_METRICS_PORTS));
  // The monitor's checks run here: their findings are this process's metrics.
  const { activities, close } = buildActivities(
    config.dataDir,
    config.registry,
    endpoints.metrics.monitor,
    config.servingState,
  );
  const connection = await connectWorker(config.connection);
  const clientConnection = await connectClient(config.connection);
  const client = new Client({ connection: clientConnection, namespace: config.connection.namespace });
  try {
    const workers = await startWorkers({
      config,
      deps: { connection, client, activities, flywheelMetrics: endpoints.metrics.flywheel },
      roles: [WorkerRole.orchestration],
    });
    logger.info(
      { taskQueue: config.orchestrationTaskQueue, dataDir: config.dataDir, address: config.connection.address },
      'orchestration worker started',
    );
    await workers.done;
    logger.info('orchestration worker stopped');
  } finally {
    await close();
    await endpoints.close();
    await clientConnection.close();
    await connection.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) runMain(main);
