import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { FlywheelClient } from '../clients/flywheel-client.js';
import { connectClient } from '../config/connect.js';
import { runMain } from '../config/fail-fast.js';
import { gatewayConfigFromEnv } from '../config/gateway-config.js';
import { flywheelQueueOptions } from '../config/task-queue-config.js';
import { logger } from '../logging/logger.js';
import { buildActivities } from './build-activities.js';
import { startGatewayServer } from './gateway-server.js';
import { workerConfigFromEnv } from './worker-config.js';

/**
 * One gateway + alert webhook replica (`flywheel gateway`): no workers, a Temporal client
 * only (spec lookups, alert signals). Start as many as you like behind a load balancer:
 * routing, the prediction log and the webhook's de-dup and replay claims are in the shared
 * serving-state database, so any replica may take any request. SIGINT/SIGTERM close it.
 */
export async function main(): Promise<void> {
  // Config first: a bad variable fails before anything connects.
  const gateway = gatewayConfigFromEnv();
  const config = workerConfigFromEnv();
  const { registry, servingState, close } = buildActivities(
    config.dataDir,
    config.registry,
    undefined,
    config.servingState,
  );
  const connection = await connectClient(config.connection);
  const client = new Client({ connection, namespace: config.connection.namespace });
  const flywheels = new FlywheelClient(client, {
    taskQueue: config.orchestrationTaskQueue,
    flywheelOptions: flywheelQueueOptions(config),
  });
  try {
    const { app, url } = await startGatewayServer({
      registry,
      servingState,
      claims: servingState.alertClaims(),
      flywheels,
      webhookAuth: {
        ...(gateway.webhookToken ? { bearerToken: gateway.webhookToken } : {}),
        ...(gateway.webhookHmacSecret ? { hmacSecret: gateway.webhookHmacSecret } : {}),
        ...(gateway.hmacToleranceSeconds ? { hmacToleranceSeconds: gateway.hmacToleranceSeconds } : {}),
      },
      host: gateway.host,
      port: gateway.port,
      ...(gateway.replicaId ? { replicaId: gateway.replicaId } : {}),
    });
    logger.info({ url, dataDir: config.dataDir, address: config.connection.address }, 'gateway started');
    const signal = await new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    logger.info({ signal }, 'gateway stopping');
    await app.close();
  } finally {
    await close();
    registry.close();
    await connection.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) runMain(main);
