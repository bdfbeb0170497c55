import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalModelRegistry } from '../../../src/adapters/registry/index.js';
import { predictProba } from '../../../src/domain/model-format/predict.js';
import { createGateway } from '../../../src/serving/create-gateway.js';
import { classifier, registerModel, tamperArtifact } from './gateway-fixture.js';
import { SqliteServingState } from '../../../src/adapters/serving-state/index.js';
import { createRng } from '../../../src/stats/random.js';
import { waitFor } from '../../support/wait-for.js';

let root: string;
let registry: LocalModelRegistry;
let state: SqliteServingState;
let app: FastifyInstance;
let base: string;
let v1: { version: number; sha256: string };
let v2: { version: number; sha256: string };

/** The prediction log as stored in SQLite, oldest first, with joined labels. */
function logged() {
  return (
    state.db
      .prepare(
        `SELECT p.request_id AS requestId, p.role AS arm, p.model_id AS modelId, p.version, p.prediction, p.features, l.label
         FROM predictions p LEFT JOIN labels l ON l.request_id = p.request_id ORDER BY p.id`,
      )
      .all() as Array<{
      requestId: string;
      arm: string;
      modelId: string;
      version: number;
      prediction: number;
      features: string;
      label: number | null;
    }>
  ).map((r) => ({ ...r, features: JSON.parse(r.features) as Record<string, unknown> }));
}
const route = (spec: Parameters<SqliteServingState['setRouting']>[1]) => state.setRouting('churn', spec);

async function start(options: Parameters<typeof createGateway>[1] = {}) {
  app = createGateway(
    { registry, routing: state, predictionLog: state },
    { routingRefreshMs: 20, processMetrics: false, ...options },
  );
  base = await app.listen({ host: '127.0.0.1', port: 0 });
}

async function post(path: string, body: unknown) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    json: (await res.json()) as Record<string, unknown> & { version?: number; requestId?: string },
  };
}
const predict = (features: Record<string, unknown>, requestKey?: string, model = 'churn') =>
  post(`/v1/models/${model}/predict`, requestKey === undefined ? { features } : { features, requestKey });

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gateway-'));
  registry = new LocalModelRegistry({ root });
  state = new SqliteServingState({ path: join(root, 'serving.db') });
  v1 = await registerModel(registry, 'churn', classifier(2), 'c1');
  v2 = await registerModel(registry, 'churn', classifier(-2), 'c2');
});
afterEach(async () => {
  await app?.close();
  registry.close();
  await state.close();
  await rm(root, { recursive: true, force: true });
});

describe('serving gateway', () => {
  it('answers with the champion: prediction, probability, version and request id, and logs it', async () => {
    await route({ championVersion: v1.version });
    await start();
    const res = await predict({ x: 1.5, plan: 'pro' });
    expect(res.status).toBe(200);
    const expected = predictProba(classifier(2), { x: 1.5, plan: 'pro' });
    expect(res.json).toEqual({
      prediction: 1,
      probability: expected,
      version: v1.version,
      requestId: expect.any(String),
    });
    await app.ctGateway.flushPredictionLog();
    expect(logged()).toMatchObject([
      {
        requestId: res.json.requestId,
        modelId: 'churn',
        version: v1.version,
        arm: 'champion',
        prediction: 1,
        features: { x: 1.5, plan: 'pro' },
      },
    ]);
  });

  it('refuses bad bodies with 400 and the issues, unknown models with 404', async () => {
    await route({ championVersion: v1.version });
    await start();
    const missing = await post('/v1/models/churn/predict', { rows: [] });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({
      error: 'invalid_request',
      issues: expect.arrayContaining([expect.objectContaining({ path: 'features' })]),
    });
    const nested = await predict({ x: { deep: 1 } });
    expect(nested.status).toBe(400);
    expect(nested.json.issues).toEqual([expect.objectContaining({ path: 'features.x' })]);
    const badId = await predict({ x: 1 }, undefined, 'Bad%20Id');
    expect(badId.status).toBe(400);
    const unknown = await predict({ x: 1 }, undefined, 'fraud');
    expect(unknown).toMatchObject({ status: 404, json: { error: 'unknown_model' } });
    const notJson = await fetch(`${base}/v1/models/churn/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"features":',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: 'invalid_request', issues: [{ path: '(body)' }] });
    await app.ctGateway.flushPredictionLog();
    expect(logged()).toEqual([]);
  });

  it('splits traffic by the canary weight and follows a weight change without restart', async () => {
    await route({ championVersion: v1.version, canary: { version: v2.version, weight: 0.2 } });
    // Seeded, so the split test is exact run to run; routing re-read on every request, so a change applies at once.
    await start({ random: createRng(7).nextFloat, routingRefreshMs: 0 });
    const share = async (n: number) => {
      let canary = 0;
      for (let i = 0; i < n; i++) if ((await predict({ x: i % 3 })).json.version === v2.version) canary++;
      return canary / n;
    };
    expect(await share(1000)).toBeCloseTo(0.2, 1);
    await route({ championVersion: v1.version, canary: { version: v2.version, weight: 0.6 } });
    expect(await share(1000)).toBeCloseTo(0.6, 1);
  });

  it('keeps a request key on one version, and a weight increase only moves keys to the canary', async () => {
    await route({ championVersion: v1.version, canary: { version: v2.version, weight: 0.3 } });
    await start({ routingRefreshMs: 0 }); // the weight change below applies to the next request
    const keys = Array.from({ length: 200 }, (_, i) => `user-${i}`);
    const at30 = new Map<string, number | undefined>();
    for (const key of keys) at30.set(key, (await predict({ x: 0 }, key)).json.version);
    for (const key of keys.slice(0, 20)) expect((await predict({ x: 1 }, key)).json.version).toBe(at30.get(key));
    await route({ championVersion: v1.version, canary: { version: v2.version, weight: 0.6 } });
    for (const key of keys) {
      const now = (await predict({ x: 0 }, key)).json.version;
      if (at30.get(key) === v2.version) expect(now).toBe(v2.version);
    }
    const canaryShare = keys.filter((k) => at30.get(k) === v2.version).length / keys.length;
    expect(canaryShare).toBeGreaterThan(0.2);
    expect(canaryShare).toBeLessThan(0.4);
  });

  it('mirrors to the shadow version: the answer is the champion, the shadow is only logged', async () => {
    await route({ championVersion: v1.version, shadowVersion: v2.version });
    await start();
    const res = await predict({ x: 2 });
    expect(res.json).toMatchObject({ version: v1.version, prediction: 1 });
    // The shadow copy is scored after the answer, off the request path.
    const rows = await waitFor(
      async () => {
        await app.ctGateway.flushPredictionLog();
        const mine = logged().filter((e) => e.requestId === res.json.requestId);
        return mine.length === 2 && mine.map((e) => [e.arm, e.version, e.prediction]);
      },
      { describe: 'the shadow copy to be logged', timeoutMs: 5_000 },
    );
    expect(rows).toEqual([
      ['champion', v1.version, 1],
      ['shadow', v2.version, 0],
    ]);
  });

  it('never serves a tampered canary: its traffic goes to the champion and the error is counted', async () => {
    await tamperArtifact(root, v2.sha256);
    await route({ championVersion: v1.version, canary: { version: v2.version, weight: 0.5 } });
    await start();
    const versions = new Set<number | undefined>();
    for (let i = 0; i < 60; i++) {
      const res = await predict({ x: -1 });
      expect(res.status).toBe(200);
      versions.add(res.json.version);
      expect(res.json.prediction).toBe(0); // the tampered weights would have said 1
    }
    expect([...versions]).toEqual([v1.version]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(
      new RegExp(
        `ct_gateway_errors_total\\{model="churn",version="${v2.version}",reason="artifact_unavailable"\\} [1-9]`,
      ),
    );
  });

  it('answers 503 with the reason when the champion artifact is tampered', async () => {
    await tamperArtifact(root, v1.sha256);
    await route({ championVersion: v1.version });
    await start();
    const res = await predict({ x: 1 });
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ error: 'model_unavailable' });
    expect(String(res.json.message)).toContain(`version ${v1.version} cannot be served`);
    expect(String(res.json.message)).toContain('tampered');
  });

  it('joins delayed labels and exports requests, latency and live-accuracy counters per version and arm', async () => {
    await route({ championVersion: v1.version });
    await start({ processMetrics: true });
    const answers = [];
    for (const x of [2, 1, -1, -2]) answers.push((await predict({ x })).json);
    // Labels: right, right, wrong, right → 75 % online accuracy.
    const labels = [1, 1, 1, 0];
    for (const [i, a] of answers.entries()) {
      expect((await post('/v1/models/churn/feedback', { requestId: a.requestId, label: labels[i] })).status).toBe(200);
    }
    expect(logged().map((e) => e.label)).toEqual(labels);
    const unknown = await post('/v1/models/churn/feedback', { requestId: 'nope', label: 1 });
    expect(unknown).toMatchObject({ status: 404, json: { error: 'unknown_request' } });
    expect((await post('/v1/models/churn/feedback', { requestId: 'x', label: 'yes' })).status).toBe(400);

    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const v = v1.version;
    expect(text).toContain(`ct_gateway_predictions_total{model="churn",version="${v}",arm="champion"} 4`);
    expect(text).toContain(`ct_gateway_prediction_duration_seconds_count{model="churn",version="${v}"} 4`);
    // 3 of 4 right: Prometheus divides the two counters' rates for a windowed accuracy.
    expect(text).toContain(`ct_gateway_labelled_predictions_total{model="churn",version="${v}",arm="champion"} 4`);
    expect(text).toContain(`ct_gateway_correct_predictions_total{model="churn",version="${v}",arm="champion"} 3`);
    expect(text).not.toContain('ct_gateway_online_accuracy');
    // The baseline the shipped accuracy-drop rule compares with: the version's held-out accuracy.
    expect(text).toContain(`ct_gateway_model_heldout_accuracy{model="churn",version="${v}"} 0.86`);
    // Standard process metrics keep their standard names.
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).not.toContain('ct_gateway_process_');
  });
});
