import { alertWebhook, TemporalAlertSink } from '../alerts/index.js';
import { START_FLYWHEELS_ENV, startFlywheelsFromEnv } from '../config/alerts-start-flywheels.js';
import type { FlywheelClient } from '../clients/flywheel-client.js';
import type { AlertClaimStore } from '../domain/alert-claims.js';
import { logger } from '../logging/logger.js';
import { createGateway, type GatewayDeps } from '../serving/index.js';
import { flywheelSpecSource } from './flywheel-spec-source.js';

export interface GatewayServerOptions {
  /** The registry versions are served from and the serving state (routing, prediction log, load failures). */
  registry: GatewayDeps['registry'];
  servingState: GatewayDeps['routing'] & GatewayDeps['predictionLog'] & NonNullable<GatewayDeps['loadFailures']>;
  /** Where the webhook's de-dup and replay claims live: the serving-state database's store, shared by every replica. */
  claims: AlertClaimStore;
  flywheels: FlywheelClient;
  webhookAuth: { bearerToken?: string; hmacSecret?: string; hmacToleranceSeconds?: number };
  host: string;
  port: number;
  /** Stamped on this replica's prediction-log rows. */
  replicaId?: string;
}

/**
 * The serving gateway with the alert webhook mounted on it, listening: what `flywheel up`
 * runs next to its workers and what each `flywheel gateway` replica runs alone. Requests are
 * checked against each model's spec as its flywheel holds it; alerts for a model with no
 * running flywheel are rejected unless the operator opted in. Resolves to the app (close it)
 * and its URL.
 */
export async function startGatewayServer(o: GatewayServerOptions) {
  const app = createGateway(
    {
      registry: o.registry,
      routing: o.servingState,
      predictionLog: o.servingState,
      loadFailures: o.servingState,
      specs: flywheelSpecSource(o.flywheels),
      logger: logger.child({ component: 'gateway' }),
    },
    o.replicaId ? { replicaId: o.replicaId } : {},
  );
  const sink = new TemporalAlertSink(o.flywheels, {
    startFlywheels: startFlywheelsFromEnv(),
    startFlywheelsHint: `${START_FLYWHEELS_ENV}=true`,
  });
  await app.register(alertWebhook, { sink, auth: o.webhookAuth, claims: o.claims });
  const url = await app.listen({ host: o.host, port: o.port });
  return { app, url };
}
