import type { FastifyInstance } from 'fastify';
import { alertWebhook } from '../alerts/alert-webhook.js';
import { TemporalAlertSink } from '../alerts/temporal-alert-sink.js';
import type { FlywheelClient } from '../clients/flywheel-client.js';
import type { ModelRegistry } from '../adapters/registry/index.js';
import type { SqliteServingState } from '../adapters/serving-state/index.js';
import { createGateway } from '../serving/create-gateway.js';

/**
 * The serving gateway and the alert webhook on one loopback port, in this process, over
 * the demo's registry and serving state (what `flywheel up` runs as a service).
 */
export async function startDemoGateway(opts: {
  flywheels: FlywheelClient;
  registry: ModelRegistry;
  servingState: SqliteServingState;
  webhookToken: string;
}): Promise<{ app: FastifyInstance; url: string }> {
  const app = createGateway(
    {
      registry: opts.registry,
      routing: opts.servingState,
      predictionLog: opts.servingState,
      loadFailures: opts.servingState,
    },
    { processMetrics: false },
  );
  await app.register(alertWebhook, {
    sink: new TemporalAlertSink(opts.flywheels),
    auth: { bearerToken: opts.webhookToken },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url };
}
