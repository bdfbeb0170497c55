import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalModelRegistry } from '../../../src/adapters/registry/index.js';
import { SqliteServingState } from '../../../src/adapters/serving-state/index.js';
import { parseModelSpec, type ModelSpec, type ModelSpecInput } from '../../../src/domain/model-spec/model-spec.js';
import { createGateway } from '../../../src/serving/create-gateway.js';
import { classifier, registerModel } from './gateway-fixture.js';

/**
 * Issue #16 F5: the gateway refuses what the model's spec does not allow, with a 400 that
 * names the field and says what to send instead. Real gateway over a real registry and
 * SQLite file; the spec comes through the gateway's spec source as the flywheel would give it.
 */
let root: string;
let registry: LocalModelRegistry;
let state: SqliteServingState;
let app: FastifyInstance | undefined;
const specs = new Map<string, ModelSpec>();

function spec(over: Partial<ModelSpecInput> = {}): ModelSpec {
  return parseModelSpec({
    id: 'churn',
    task: 'binaryClassification',
    features: [
      { name: 'x', type: 'numeric', min: -10, max: 10 },
      { name: 'plan', type: 'categorical', required: false, allowedValues: ['basic', 'pro'] },
    ],
    label: { name: 'y' },
    dataSource: { kind: 'synthetic', generator: { name: 'sea' } },
    trainer: { kind: 'builtin' },
    ...over,
  });
}

async function start(withSpecs = true): Promise<FastifyInstance> {
  app = createGateway(
    {
      registry,
      routing: state,
      predictionLog: state,
      ...(withSpecs ? { specs: { getSpec: (id: string) => specs.get(id) ?? null } } : {}),
    },
    { routingRefreshMs: 20, processMetrics: false },
  );
  await app.ready();
  return app;
}

async function send(path: string, payload: string | object) {
  const res = await app!.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/json' },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return {
    status: res.statusCode,
    json: res.json<Record<string, unknown> & { requestId?: string; field?: string; message?: string }>(),
  };
}
const predict = (payload: string | object, model = 'churn') => send(`/v1/models/${model}/predict`, payload);
const feedback = (requestId: string | undefined, label: unknown, model = 'churn') =>
  send(`/v1/models/${model}/feedback`, { requestId, label });

function loggedRows() {
  return state.db.prepare('SELECT request_id AS requestId, flags FROM predictions ORDER BY id').all() as Array<{
    requestId: string;
    flags: string | null;
  }>;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gateway-validation-'));
  registry = new LocalModelRegistry({ root });
  state = new SqliteServingState({ path: join(root, 'serving.db') });
  const v1 = await registerModel(registry, 'churn', classifier(2), 'c1');
  await state.setRouting('churn', { championVersion: v1.version });
  specs.clear();
  specs.set('churn', spec());
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  registry.close();
  await state.close();
  await rm(root, { recursive: true, force: true });
});

describe('gateway: features are checked against the model spec', () => {
  it('refuses an empty feature object, naming the required feature', async () => {
    await start();
    const res = await predict({ features: {} });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'invalid_request', field: 'features.x' });
    expect(res.json.message).toMatch(/^features\.x: required feature is missing/);
    expect(loggedRows()).toEqual([]);
  });

  it('refuses a string where the spec declares a number', async () => {
    await start();
    const res = await predict({ features: { x: 'abc' } });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'invalid_request', field: 'features.x' });
    expect(res.json.message).toMatch(/^features\.x: expected a finite number/);
  });

  it('refuses 1e999 (JSON Infinity) as not finite', async () => {
    await start();
    const res = await predict('{"features":{"x":1e999}}');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'invalid_request', field: 'features.x' });
    expect(res.json.message).toMatch(/^features\.x: expected a finite number/);
  });

  it('refuses a value outside min/max or allowedValues by default (outOfRange: refuse)', async () => {
    await start();
    const high = await predict({ features: { x: 50 } });
    expect(high.status).toBe(400);
    expect(high.json).toMatchObject({ error: 'out_of_range', field: 'features.x' });
    expect(high.json.message).toContain('50 is above the maximum 10');
    const plan = await predict({ features: { x: 1, plan: 'gold' } });
    expect(plan).toMatchObject({ status: 400, json: { error: 'out_of_range', field: 'features.plan' } });
    expect(plan.json.message).toContain('"gold" is not one of basic, pro');
    expect(loggedRows()).toEqual([]);
  });

  it('scores and flags an out-of-range value when the spec says serving.outOfRange: scoreAndFlag', async () => {
    specs.set('churn', spec({ serving: { outOfRange: 'scoreAndFlag' } }));
    await start();
    const res = await predict({ features: { x: 50, plan: 'basic' } });
    expect(res.status).toBe(200);
    expect(res.json.flags).toEqual([
      { field: 'features.x', message: expect.stringContaining('50 is above the maximum 10') },
    ]);
    const rows = loggedRows();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.flags ?? 'null')).toEqual(res.json.flags);
    // A value inside the range carries no flags.
    const fine = await predict({ features: { x: 5 } });
    expect(fine.status).toBe(200);
    expect(fine.json).not.toHaveProperty('flags');
    const metrics = await app!.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('ct_gateway_flagged_values_total{model="churn",version="1",feature="x"} 1');
  });

  it('accepts a missing optional feature and ignores features the spec does not declare', async () => {
    await start();
    const res = await predict({ features: { x: 2, extra: 'kept in the log' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ prediction: 1 });
  });

  it('without a spec, checks types against the served artifact and refuses a request with none of its features', async () => {
    await start(false);
    const empty = await predict({ features: {} });
    expect(empty).toMatchObject({ status: 400, json: { error: 'invalid_request', field: 'features' } });
    expect(empty.json.message).toContain('x, plan');
    expect((await predict({ features: { x: 'abc' } })).json).toMatchObject({ field: 'features.x' });
    expect((await predict('{"features":{"x":-1e999}}')).json).toMatchObject({ field: 'features.x' });
    expect((await predict({ features: { x: 2 } })).status).toBe(200);
  });

  it('answers every refusal in one JSON shape: error, field, message', async () => {
    await start();
    for (const payload of [
      '{"features":',
      '{"rows":[]}',
      '{"features":{"x":{"deep":1}}}',
      '{"features":{"x":true}}',
      'null',
      '[]',
    ]) {
      const res = await predict(payload);
      expect(res.status, payload).toBe(400);
      expect(res.json, payload).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    }
  });
});

describe('gateway: labels are checked per task and never overwrite', () => {
  it('refuses label 2 and -7.5 on a binary classifier, naming the field', async () => {
    await start();
    const { json } = await predict({ features: { x: 2 } });
    for (const label of [2, -7.5]) {
      const res = await feedback(json.requestId, label);
      expect(res.status, String(label)).toBe(400);
      expect(res.json).toMatchObject({ error: 'invalid_label', field: 'label' });
      expect(res.json.message).toMatch(/^label: a binaryClassification model takes 0 or 1/);
    }
    expect(state.db.prepare('SELECT COUNT(*) AS n FROM labels').get()).toEqual({ n: 0 });
    expect((await feedback(json.requestId, true)).status).toBe(200);
  });

  it('refuses a second label for the same request with 409 and keeps the first', async () => {
    await start();
    const { json } = await predict({ features: { x: 2 } });
    expect(await feedback(json.requestId, 1)).toMatchObject({ status: 200, json: { joined: true } });
    const again = await feedback(json.requestId, 0);
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: 'label_exists', field: 'requestId' });
    expect(again.json.message).toContain('already has label 1');
    expect(state.db.prepare('SELECT label FROM labels WHERE request_id = ?').get(json.requestId)).toEqual({ label: 1 });
  });

  it('takes any finite number on a regression model and refuses a non-number', async () => {
    const v = await registerModel(registry, 'price', { ...classifier(1), task: 'regression' }, 'p1');
    await state.setRouting('price', { championVersion: v.version });
    specs.set('price', spec({ id: 'price', task: 'regression', gate: { primaryMetric: 'rmse' } }));
    await start();
    const { json } = await predict({ features: { x: 2 } }, 'price');
    expect((await feedback(json.requestId, -7.5, 'price')).status).toBe(200);
    const other = await predict({ features: { x: 3 } }, 'price');
    expect(await feedback(other.json.requestId, 'a lot', 'price')).toMatchObject({
      status: 400,
      json: { field: 'label' },
    });
  });
});

describe('gateway: an answered prediction is in the log before the answer', () => {
  it('a 200 is readable from another connection to the file at once, without a flush', async () => {
    await start();
    const reader = new SqliteServingState({ path: join(root, 'serving.db') });
    try {
      const res = await predict({ features: { x: 2 } });
      expect(res.status).toBe(200);
      const row = reader.db.prepare('SELECT version FROM predictions WHERE request_id = ?').get(res.json.requestId);
      expect(row).toEqual({ version: 1 });
    } finally {
      await reader.close();
    }
  });

  it('answers 503 instead of a prediction the log could not keep, and serves again once it can', async () => {
    await start();
    // A real SQLite failure on insert, as a full disk or a broken file would give.
    state.db.exec(
      `CREATE TRIGGER refuse_log BEFORE INSERT ON predictions BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END;`,
    );
    const refused = await predict({ features: { x: 2 } });
    expect(refused).toMatchObject({ status: 503, json: { error: 'prediction_log_unavailable' } });
    expect(refused.json.message).toContain('retry');
    state.db.exec('DROP TRIGGER refuse_log');
    const served = await predict({ features: { x: 2 } });
    expect(served.status).toBe(200);
    expect(loggedRows().map((r) => r.requestId)).toEqual([served.json.requestId]);
  });
});
