import type { FastifyInstance } from 'fastify';
import type { Task } from '../domain/features.js';
import { checkLabel } from '../domain/model-spec/request-checks.js';
import type { PredictionLogSink } from './gateway-ports.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { ModelLoader } from '../adapters/model-formats/model-loader.js';
import type { RecentPredictions } from './recent-predictions.js';
import { parseModelParams } from './fast-request-checks.js';
import { FEEDBACK_BODY_HINT, FeedbackBodySchema, refusalOf, refusalOfZod } from './request-schemas.js';
import type { SpecCache } from './serving-schemas.js';

export interface FeedbackRouteDeps {
  sink: PredictionLogSink;
  models: ModelLoader;
  specs: SpecCache;
  metrics: GatewayMetrics;
  recent: RecentPredictions;
}

/**
 * `POST /v1/models/:id/feedback`: joins a delayed ground-truth label to its prediction.
 * The label is checked against the model's task (0/1 for a classifier); the first label
 * of a request stays, a second one is refused with 409 and the label that stayed, because
 * labels feed live accuracy, the rollout's guards and the monitor.
 */
export function registerFeedbackRoute(app: FastifyInstance, deps: FeedbackRouteDeps): void {
  /** The task the label is judged by: the spec's, else the artifact's that answered, else the remembered answer's. */
  async function taskOf(modelId: string, version: number, requestId: string): Promise<Task | undefined> {
    const schema = await deps.specs.get(modelId);
    if (schema) return schema.task;
    const loaded = await deps.models.load(modelId, version);
    if (loaded.ok) return loaded.scorer.task;
    const served = deps.recent.get(requestId);
    return served ? (served.classifier ? 'binaryClassification' : 'regression') : undefined;
  }

  app.post('/v1/models/:id/feedback', async (request, reply) => {
    const params = parseModelParams(request.params);
    if (!params.success)
      return reply
        .code(400)
        .send(refusalOfZod(params.error, 'use a model id of lowercase letters, digits, "-" or "_"'));
    const body = FeedbackBodySchema.safeParse(request.body);
    if (!body.success) return reply.code(400).send(refusalOfZod(body.error, FEEDBACK_BODY_HINT));
    const modelId = params.data.id;
    const { requestId, label } = body.data;
    const unknown = () =>
      reply.code(404).send({
        error: 'unknown_request',
        field: 'requestId',
        message: `requestId: no prediction of model "${modelId}" has request id "${requestId}"; send the requestId of a prediction answer from this model`,
      });
    const prediction = await deps.sink.findPrediction(modelId, requestId);
    if (!prediction) return unknown();
    const task = await taskOf(modelId, prediction.version, requestId);
    const problem = task === undefined ? undefined : checkLabel(task, label);
    if (problem) return reply.code(400).send(refusalOf('invalid_label', [problem]));

    const written = await deps.sink.recordLabel(modelId, requestId, label, Date.now());
    if (written.outcome === 'unknownRequest') return unknown();
    if (written.outcome === 'alreadyLabelled') {
      return reply.code(409).send({
        error: 'label_exists',
        field: 'requestId',
        message: `requestId: request "${requestId}" already has label ${written.label} (recorded ${new Date(written.atMs).toISOString()}); a label is written once and never replaced, so nothing changed`,
      });
    }
    const served = deps.recent.get(requestId);
    if (served && served.modelId === modelId) {
      deps.metrics.recordLabel(
        modelId,
        served.version,
        served.arm,
        served.classifier ? served.prediction === label : undefined,
      );
    }
    return { requestId, joined: true };
  });
}
