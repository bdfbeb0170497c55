import { fileURLToPath } from 'node:url';
import { connectWorker } from '../config/connect.js';
import { runMain } from '../config/fail-fast.js';
import { logger } from '../logging/logger.js';
import { metricsConfigFromEnv, TRAINING_METRICS_PORTS } from '../config/metrics-config.js';
import { startMetricsEndpoints } from './metrics-endpoints.js';
import { WorkerRole } from './activity-roles.js';
import { buildActivities } from './build-activities.js';
import { startWorkers } from './start-workers.js';
import { workerConfigFromEnv } from './worker-config.js';

/**
 * The training worker (`ct-training`): runs the training activities only, a few at a time.
 * Start more of these (on other machines sharing the data dir's registry) to train more in
 * parallel. A killed worker loses nothing: the activity times out on its heartbeat and
 * another worker resumes it from the last checkpoint.
 */
export async function main(): Promise<void> {
  // Config first: a bad config fails before anything starts the Temporal runtime.
  const config = workerConfigFromEnv();
  const endpoints = await startMetricsEndpoints(metricsConfigFromEnv(TRAINING_METRICS_PORTS));
  const { activities, close } = buildActivities(config.dataDir, config.registry, undefined, config.servingState);
  const connection = await connectWorker(config.connection);
  try {
    const workers = await startWorkers({ config, deps: { connection, activities }, roles: [WorkerRole.training] });
    logger.info(
      { taskQueue: config.trainingTaskQueue, maxConcurrent: config.maxTrainingActivities, dataDir: config.dataDir },
      'training worker started',
    );
    await workers.done;
    logger.info('training worker stopped');
  } finally {
    await close();
    await endpoints.close();
    await connection.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) runMain(main);
