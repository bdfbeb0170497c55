import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { RoutingTable } from '../domain/records/routing.js';
import type { PredictionLogEntry } from './gateway-ports.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { ModelLoader } from './model-loader.js';
import type { PredictionBatcher } from './prediction-batcher.js';
import type { RecentPredictions } from './recent-predictions.js';
import { ModelParamsSchema, PredictBodySchema, describeZodIssues } from './request-schemas.js';
import type { RoutingCache } from './routing-cache.js';
import { unservableKindOf } from '../domain/rollout/serviceability.js';
import { score } from './score.js';
import { Arm, chooseArm } from './traffic-split.js';

export interface PredictRouteDeps {
  routing: RoutingCache;
  models: ModelLoader;
  log: PredictionBatcher<PredictionLogEntry>;
  metrics: GatewayMetrics;
  recent: RecentPredictions;
  random?: () => number;
}

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * `POST /v1/models/:id/predict`. The served version is never one whose artifact failed
 * verification: a broken canary sends its share to the champion (counted as an error),
 * a broken champion answers 503.
 */
export function registerPredictRoute(app: FastifyInstance, deps: PredictRouteDeps): void {
  const { routing, models, log, metrics, recent } = deps;

  async function serveShadow(table: RoutingTable, features: Record<string, unknown>, requestId: string): Promise<void> {
    const version = table.shadowVersion;
    if (version === undefined) return;
    const start = process.hrtime.bigint();
    const loaded = await models.load(table.modelId, version);
    if (!loaded.ok) {
      metrics.errors.inc({ model: table.modelId, version: String(version), reason: 'shadow_artifact_unavailable' });
      return;
    }
    const answer = score(loaded.model, features);
    metrics.shadow.inc({ model: table.modelId, version: String(version) });
    log.push({ requestId, modelId: table.modelId, version, arm: Arm.shadow, features, ...answer, latencyMs: elapsedMs(start), atMs: Date.now() });
  }

  app.post('/v1/models/:id/predict', async (request, reply: FastifyReply) => {
    const start = process.hrtime.bigint();
    const params = ModelParamsSchema.safeParse(request.params);
    if (!params.success) return reply.code(400).send({ error: 'invalid_request', issues: describeZodIssues(params.error) });
    const modelId = params.data.id;
    const body = PredictBodySchema.safeParse(request.body);
    if (!body.success) {
      metrics.errors.inc({ model: modelId, version: '', reason: 'invalid_request' });
      return reply.code(400).send({ error: 'invalid_request', issues: describeZodIssues(body.error) });
    }
    const table = await routing.get(modelId);
    if (!table) return reply.code(404).send({ error: 'unknown_model', message: `model "${modelId}" has no routing table: nothing is deployed under this id` });

    metrics.routingRevision.set({ model: modelId }, table.revision);
    let { arm, version } = chooseArm(table, modelId, body.data.requestKey, deps.random);
    let loaded = await models.load(modelId, version);
    if (!loaded.ok && arm === Arm.canary) {
      metrics.errors.inc({ model: modelId, version: String(version), reason: 'artifact_unavailable' });
      request.log.error({ err: loaded.error, modelId, version }, 'canary artifact cannot be served; answering with the champion');
      ({ arm, version } = { arm: Arm.champion, version: table.championVersion });
      loaded = await models.load(modelId, version);
    }
    if (!loaded.ok) {
      metrics.errors.inc({ model: modelId, version: String(version), reason: 'artifact_unavailable' });
      // An outage, not a degraded answer: its own counter and an alert-worthy log line.
      const kind = unservableKindOf(loaded.error.name);
      metrics.championUnservable.inc({ model: modelId, version: String(version), reason: kind });
      request.log.error({ err: loaded.error, modelId, version, kind, alert: 'champion_unservable' }, `champion v${version} of ${modelId} cannot be served: ${kind}`);
      return reply.code(503).send({
        error: 'model_unavailable',
        message: `model "${modelId}" version ${version} cannot be served: ${loaded.error.message}`,
      });
    }

    const features = body.data.features;
    const answer = score(loaded.model, features);
    const requestId = randomUUID();
    const latencyMs = elapsedMs(start);
    const v = String(version);
    metrics.requests.inc({ model: modelId, version: v, arm });
    metrics.latency.observe({ model: modelId, version: v }, latencyMs / 1000);
    log.push({ requestId, modelId, version, arm, features, ...answer, latencyMs, atMs: Date.now() });
    recent.remember(requestId, { modelId, version, prediction: answer.prediction, classifier: answer.probability !== null });
    // The shadow scores after the answer is on its way: it never changes nor delays it.
    if (table.shadowVersion !== undefined) setImmediate(() => void serveShadow(table, features, requestId).catch((err: unknown) => request.log.error({ err }, 'shadow scoring failed')));
    return { prediction: answer.prediction, probability: answer.probability, version, requestId };
  });
}
