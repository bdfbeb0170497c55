import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { registerFeedbackRoute } from './feedback-route.js';
import type {
  LoadFailureSink,
  PredictionLogEntry,
  PredictionLogSink,
  RoutingSource,
  ServingRegistry,
} from './gateway-ports.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { ModelLoader } from '../adapters/model-formats/model-loader.js';
import { GroupCommitLog } from './group-commit-log.js';
import { registerPredictRoute } from './predict-route.js';
import { RecentPredictions } from './recent-predictions.js';
import { RoutingCache } from './routing-cache.js';
import { SpecCache, type ModelSpecSource } from './serving-schemas.js';

export interface GatewayDeps {
  registry: ServingRegistry;
  routing: RoutingSource;
  predictionLog: PredictionLogSink;
  /** Where failed model loads are recorded per version (the serving state), so rollouts see refusals. */
  loadFailures?: LoadFailureSink;
  /** Each model's spec, to check requests against (features, ranges, task); without one, the served artifact's own schema applies. */
  specs?: ModelSpecSource;
  /** pino-compatible logger; the gateway logs nothing per request unless it fails. */
  logger?: FastifyBaseLogger;
}

/** How stale a routing table may be by default (`GatewayOptions.routingRefreshMs`). */
export const DEFAULT_ROUTING_REFRESH_MS = 250;

export interface GatewayOptions {
  /** How stale the routing table may be, i.e. how fast a weight change takes effect (default 250 ms). */
  routingRefreshMs?: number;
  /** A version whose artifact failed to load is retried after this long (default 1 s). */
  artifactRetryMs?: number;
  /** Largest prediction-log transaction (default 500 rows); rows of one event-loop turn share one. */
  logBatch?: { maxBatch?: number };
  /** How stale a model's spec may be, i.e. how fast a spec update reaches request checks (default 5 s). */
  specRefreshMs?: number;
  /** Include Node process metrics in /metrics (default true). */
  processMetrics?: boolean;
  /** Stamped on every prediction-log row this gateway writes (CT_GATEWAY_REPLICA_ID), so a shared log says who served. */
  replicaId?: string;
  /** Random source for non-sticky routing (tests). */
  random?: () => number;
}

/** Handles the gateway exposes beside its routes (for `flywheel up`, the demo and tests). */
export interface GatewayHandle {
  metrics: GatewayMetrics;
  /** Resolves when every prediction-log row queued so far is written (shadow copies are not awaited by requests); also runs on `close()`. */
  flushPredictionLog(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctGateway: GatewayHandle;
  }
}

/**
 * Builds the serving gateway: `POST /v1/models/:id/predict`, `POST /v1/models/:id/feedback`,
 * `GET /metrics` (Prometheus), `GET /healthz`. Returns the Fastify instance unstarted:
 * call `listen()`, or register more plugins first (e.g. the alert webhook).
 */
export function createGateway(deps: GatewayDeps, options: GatewayOptions = {}): FastifyInstance {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // Two log lines per prediction would cost more than the prediction; failures log themselves.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1_048_576,
  }) as unknown as FastifyInstance;
  const metrics = new GatewayMetrics({ defaultMetrics: options.processMetrics ?? true });
  // Answered rows are committed before their answer leaves (group commit per event-loop turn).
  const replica = options.replicaId;
  const log = new GroupCommitLog<PredictionLogEntry>(
    (batch) => deps.predictionLog.appendPredictions(replica ? batch.map((e) => ({ ...e, replica })) : batch),
    options.logBatch ?? {},
  );
  const specs = new SpecCache(deps.specs, {
    ...(options.specRefreshMs === undefined ? {} : { refreshMs: options.specRefreshMs }),
    onError: (err, modelId) =>
      app.log.warn({ err, modelId }, 'model spec unavailable; checking requests against the served artifact'),
  });
  const recent = new RecentPredictions();
  const routing = new RoutingCache(deps.routing, options.routingRefreshMs ?? DEFAULT_ROUTING_REFRESH_MS);
  const models = new ModelLoader(deps.registry, {
    retryAfterMs: options.artifactRetryMs ?? 1_000,
    observer: {
      loaded: (model, version, heldOut) => metrics.recordLoaded(model, version, heldOut),
      failed: (failure, err) => {
        const labels = { model: failure.modelId, version: String(failure.version) };
        metrics.servable.set(labels, 0);
        metrics.loadFailures.inc({ ...labels, reason: failure.kind });
        app.log.error(
          { err, modelId: failure.modelId, version: failure.version, kind: failure.kind },
          'model version cannot be served',
        );
        void Promise.resolve()
          .then(() => deps.loadFailures?.recordLoadFailure(failure))
          .catch((e: unknown) => app.log.error({ err: e, failure }, 'could not record a model load failure'));
      },
    },
  });

  app.decorate('ctGateway', { metrics, flushPredictionLog: () => log.drain() });
  app.addHook('onClose', async () => log.drain());

  // Body parsing failures (bad JSON, empty body, too large, wrong content type) answer in
  // the same shape as every other refusal, so clients handle one format.
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const message = `(body): ${error.message}; send a JSON object with content-type: application/json`;
      return reply.code(status).send({
        error: 'invalid_request',
        field: '(body)',
        message,
        issues: [{ path: '(body)', message: error.message }],
      });
    }
    request.log.error({ err: error }, 'gateway request failed');
    return reply.code(500).send({ error: 'internal_error', message: 'the gateway failed to answer; see its log' });
  });

  registerPredictRoute(app, {
    routing,
    models,
    specs,
    log,
    metrics,
    recent,
    ...(options.random ? { random: options.random } : {}),
  });
  registerFeedbackRoute(app, { sink: deps.predictionLog, models, specs, metrics, recent });
  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  app.get('/healthz', async () => ({ ok: true }));
  return app;
}
