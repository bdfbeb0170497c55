import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify';
import { checkFeatures } from '../domain/model-spec/request-checks.js';
import type { RoutingTable } from '../domain/records/routing.js';
import type { FeatureValue, PredictionLogEntry } from '../domain/records/prediction-log-entry.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { LoadedModel, ModelLoader } from '../adapters/model-formats/model-loader.js';
import type { GroupCommitLog } from './group-commit-log.js';
import type { RecentPredictions } from './recent-predictions.js';
import { parseModelParams, parsePredictBody } from './fast-request-checks.js';
import { PREDICT_BODY_HINT, refusalOf, refusalOfZod } from './request-schemas.js';
import type { RoutingCache } from './routing-cache.js';
import { unservableKindOf } from '../domain/rollout/serviceability.js';
import type { Answer, Scorer } from '../domain/model-format/scorer.js';
import type { ServingSchema } from '../domain/model-spec/request-checks.js';
import { JSON_TYPE, predictionAnswerJson } from './prediction-answer.js';
import { newRequestId } from './request-ids.js';
import { score } from './score.js';
import { servingSchemaOfModel, type SpecCache } from './serving-schemas.js';
import { ServedRoutes, type ServedArm } from './served-routes.js';
import { Arm } from './traffic-split.js';

export interface PredictRouteDeps {
  routing: RoutingCache;
  models: ModelLoader;
  specs: SpecCache;
  log: GroupCommitLog<PredictionLogEntry>;
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
 * a broken champion answers 503. Features are checked against the model's spec (or, with
 * no spec, the served artifact) before scoring; the answer leaves only once its row is in
 * the prediction log, so every 200 can be joined to its label later.
 */
export function registerPredictRoute(app: FastifyInstance, deps: PredictRouteDeps): void {
  const { routing, models, specs, log, metrics, recent } = deps;
  const routes = new ServedRoutes(models, metrics);
  /** The arm's scorer: from the arm once loaded, else from the loader (which verifies, caches and retries). */
  const scorerOf = (arm: ServedArm): LoadedModel | Promise<LoadedModel> => {
    const known = arm.loaded;
    if (known && !known.scorer.released) return known;
    const loaded = models.load(arm.requestLabels.model, arm.version);
    const remember = (l: LoadedModel) => {
      if (l.ok) arm.loaded = l;
      return l;
    };
    return loaded instanceof Promise ? loaded.then(remember) : remember(loaded);
  };
  // Without a spec, requests are checked against the artifact's schema: built once per loaded model.
  const artifactSchemas = new WeakMap<Scorer, ServingSchema>();
  const artifactSchema = (scorer: Scorer): ServingSchema => {
    let schema = artifactSchemas.get(scorer);
    if (!schema) artifactSchemas.set(scorer, (schema = servingSchemaOfModel(scorer)));
    return schema;
  };

  async function serveShadow(
    table: RoutingTable,
    features: Record<string, FeatureValue>,
    requestId: string,
  ): Promise<void> {
    const version = table.shadowVersion;
    if (version === undefined) return;
    const start = process.hrtime.bigint();
    const loaded = await models.load(table.modelId, version);
    if (!loaded.ok) {
      metrics.errors.inc({ model: table.modelId, version: String(version), reason: 'shadow_artifact_unavailable' });
      return;
    }
    const answer = await score(loaded.scorer, features);
    metrics.shadow.inc({ model: table.modelId, version: String(version) });
    // No request waits for this row: a shadow copy is never answered, it only rides the next transaction.
    await log.append({
      requestId,
      modelId: table.modelId,
      version,
      arm: Arm.shadow,
      features,
      ...answer,
      latencyMs: elapsedMs(start),
      atMs: Date.now(),
    });
  }

  // The route logs only failures: its requests share the gateway's logger instead of a
  // child logger each (Fastify would build one per request, binding its request counter).
  const childLoggerFactory = (logger: FastifyBaseLogger) => logger;

  app.post('/v1/models/:id/predict', { childLoggerFactory }, async (request, reply: FastifyReply) => {
    const start = process.hrtime.bigint();
    const params = parseModelParams(request.params);
    if (!params.success)
      return reply
        .code(400)
        .send(refusalOfZod(params.error, 'use a model id of lowercase letters, digits, "-" or "_"'));
    const modelId = params.data.id;
    const body = parsePredictBody(request.body);
    if (!body.success) {
      metrics.errors.inc({ model: modelId, version: '', reason: 'invalid_request' });
      return reply.code(400).send(refusalOfZod(body.error, PREDICT_BODY_HINT));
    }
    const cached = routing.get(modelId);
    const table = cached instanceof Promise ? await cached : cached;
    if (!table) {
      return reply.code(404).send({
        error: 'unknown_model',
        message: `model "${modelId}" has no routing table: nothing is deployed under this id; check the id, or wait until a rollout of its flywheel deploys a version`,
      });
    }

    const route = routes.of(table);
    let served = routes.pick(route, body.data.requestKey, deps.random);
    let pending = scorerOf(served);
    let scorer = pending instanceof Promise ? await pending : pending;
    if (!scorer.ok && served.arm === Arm.canary) {
      metrics.errors.inc({ model: modelId, version: served.versionLabel, reason: 'artifact_unavailable' });
      request.log.error(
        { err: scorer.error, modelId, version: served.version },
        'canary artifact cannot be served; answering with the champion',
      );
      served = route.champion;
      pending = scorerOf(served);
      scorer = pending instanceof Promise ? await pending : pending;
    }
    const { version, versionLabel: v, arm } = served;
    if (!scorer.ok) {
      metrics.errors.inc({ model: modelId, version: v, reason: 'artifact_unavailable' });
      // An outage, not a degraded answer: its own counter and an alert-worthy log line.
      const kind = unservableKindOf(scorer.error.name);
      metrics.championUnservable.inc({ model: modelId, version: v, reason: kind });
      request.log.error(
        { err: scorer.error, modelId, version, kind, alert: 'champion_unservable' },
        `champion v${version} of ${modelId} cannot be served: ${kind}`,
      );
      return reply.code(503).send({
        error: 'model_unavailable',
        message: `model "${modelId}" version ${version} cannot be served: ${scorer.error.message}`,
      });
    }

    const features = body.data.features;
    const spec = specs.get(modelId);
    const schema = (spec instanceof Promise ? await spec : spec) ?? artifactSchema(scorer.scorer);
    const { issues, flags } = checkFeatures(schema, features);
    if (issues.length > 0) {
      const outOfRange = issues.every((i) => i.outOfRange);
      metrics.errors.inc({ model: modelId, version: '', reason: outOfRange ? 'out_of_range' : 'invalid_request' });
      return reply.code(400).send(refusalOf(outOfRange ? 'out_of_range' : 'invalid_request', issues));
    }
    let answer: Answer;
    try {
      const scored = score(scorer.scorer, features);
      answer = scored instanceof Promise ? await scored : scored;
    } catch (err) {
      // A model that loaded but cannot score this row (its runtime failed): an outage of this version, never a 500.
      metrics.errors.inc({ model: modelId, version: v, reason: 'scoring_failed' });
      request.log.error({ err, modelId, version }, 'the model could not score the request');
      return reply.code(503).send({
        error: 'model_unavailable',
        message: `model "${modelId}" version ${version} could not score this request: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`,
      });
    }
    const atMs = Date.now();
    const requestId = newRequestId(atMs);
    const flagged = flags.length > 0 ? flags.map(({ field, message }) => ({ field, message })) : undefined;
    const entry: PredictionLogEntry = {
      requestId,
      modelId,
      version,
      arm,
      features,
      prediction: answer.prediction,
      probability: answer.probability,
      latencyMs: elapsedMs(start),
      atMs,
      ...(flagged ? { flags: flagged } : {}),
    };
    try {
      await log.append(entry);
    } catch (err) {
      // An answer whose row is not in the log could never be joined to its label: do not give it.
      metrics.errors.inc({ model: modelId, version: v, reason: 'prediction_log_write' });
      request.log.error({ err, modelId, version }, 'prediction log write failed; the request is refused');
      return reply.code(503).send({
        error: 'prediction_log_unavailable',
        message:
          'the prediction could not be written to the prediction log, so it is not answered; retry shortly, and check the gateway log if it persists',
      });
    }
    const latencyMs = elapsedMs(start);
    metrics.requests.inc(served.requestLabels);
    for (const f of flags)
      metrics.flagged.inc({ model: modelId, version: v, feature: f.field.replace(/^features\./, '') });
    metrics.latency.observe(served.latencyLabels, latencyMs / 1000);
    recent.remember(requestId, {
      modelId,
      version,
      arm,
      prediction: answer.prediction,
      classifier: answer.probability !== null,
    });
    // The shadow scores after the answer is on its way: it never changes nor delays it.
    if (table.shadowVersion !== undefined)
      setImmediate(
        () =>
          void serveShadow(table, features, requestId).catch((err: unknown) =>
            request.log.error({ err }, 'shadow scoring failed'),
          ),
      );
    return reply.type(JSON_TYPE).send(predictionAnswerJson(answer, version, requestId, flagged));
  });
}
