import type { FastifyInstance } from 'fastify';
import type { PredictionLogEntry, PredictionLogSink } from './gateway-ports.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { PredictionBatcher } from './prediction-batcher.js';
import type { RecentPredictions } from './recent-predictions.js';
import { FeedbackBodySchema, ModelParamsSchema, describeZodIssues } from './request-schemas.js';

export interface FeedbackRouteDeps {
  sink: PredictionLogSink;
  log: PredictionBatcher<PredictionLogEntry>;
  metrics: GatewayMetrics;
  recent: RecentPredictions;
}

/** `POST /v1/models/:id/feedback`: joins a delayed ground-truth label to its prediction. */
export function registerFeedbackRoute(app: FastifyInstance, deps: FeedbackRouteDeps): void {
  app.post('/v1/models/:id/feedback', async (request, reply) => {
    const params = ModelParamsSchema.safeParse(request.params);
    if (!params.success) return reply.code(400).send({ error: 'invalid_request', issues: describeZodIssues(params.error) });
    const body = FeedbackBodySchema.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ error: 'invalid_request', issues: describeZodIssues(body.error) });
    const modelId = params.data.id;
    const { requestId, label } = body.data;
    // The prediction may still sit in the write buffer; the label must find it.
    await deps.log.flush();
    const joined = await deps.sink.recordLabel(modelId, requestId, label, Date.now());
    if (!joined) {
      return reply.code(404).send({ error: 'unknown_request', message: `no prediction of model "${modelId}" has request id "${requestId}"` });
    }
    const served = deps.recent.get(requestId);
    if (served && served.modelId === modelId) {
      deps.metrics.recordLabel(modelId, served.version, served.classifier ? served.prediction === label : undefined);
    }
    return { requestId, joined: true };
  });
}
