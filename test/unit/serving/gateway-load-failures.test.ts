import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalModelRegistry } from '../../../src/adapters/registry/index.js';
import { SqliteServingState } from '../../../src/adapters/serving-state/index.js';
import { createGateway } from '../../../src/serving/create-gateway.js';
import { classifier, registerModel, tamperArtifact } from './gateway-fixture.js';

let root: string;
let registry: LocalModelRegistry;
let state: SqliteServingState;
let app: FastifyInstance;
let base: string;
let v1: { version: number; sha256: string };
let v2: { version: number; sha256: string };

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gateway-lf-'));
  registry = new LocalModelRegistry({ root });
  state = new SqliteServingState({ path: join(root, 'serving.db') });
  v1 = await registerModel(registry, 'churn', classifier(2), 'c1');
  v2 = await registerModel(registry, 'churn', classifier(-2), 'c2');
  app = createGateway(
    { registry, routing: state, predictionLog: state, loadFailures: state },
    { routingRefreshMs: 20, artifactRetryMs: 50, processMetrics: false },
  );
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterEach(async () => {
  await app?.close();
  registry.close();
  await state.close();
  await rm(root, { recursive: true, force: true });
});

const predict = async (x: number) => {
  const res = await fetch(`${base}/v1/models/churn/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ features: { x } }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
const metrics = async () => (await fetch(`${base}/metrics`)).text();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the gateway records the versions it cannot load', () => {
  it('a tampered canary: every answer comes from the champion, and the refusals land in the serving state per version', async () => {
    await tamperArtifact(root, v2.sha256);
    await state.setRouting('churn', { championVersion: v1.version, canary: { version: v2.version, weight: 0.5 } });
    const from = Date.now();
    for (let i = 0; i < 40; i++) {
      expect((await predict(-1)).status).toBe(200);
      if (i % 10 === 0) await sleep(60); // past the retry interval: the loader tries the blob again
    }
    const refused = await state.readLoadFailures({
      modelId: 'churn',
      version: v2.version,
      fromMs: from,
      toMs: Date.now() + 1,
    });
    expect(refused).toMatchObject({ kind: 'artifact integrity' });
    expect(refused?.message).toContain('corrupt or tampered');
    // One record per load attempt, not per request: the failure is cached for the retry interval.
    expect(refused!.count).toBeGreaterThanOrEqual(2);
    expect(refused!.count).toBeLessThan(20);
    expect(
      await state.readLoadFailures({ modelId: 'churn', version: v1.version, fromMs: from, toMs: Date.now() + 1 }),
    ).toBeNull();
    const text = await metrics();
    expect(text).toMatch(
      new RegExp(
        `ct_gateway_model_load_failures_total\\{model="churn",version="${v2.version}",reason="artifact integrity"\\} [1-9]`,
      ),
    );
    expect(text).toMatch(new RegExp(`ct_gateway_model_servable\\{model="churn",version="${v2.version}"\\} 0`));
    expect(text).toMatch(new RegExp(`ct_gateway_model_servable\\{model="churn",version="${v1.version}"\\} 1`));
  });

  it('a corrupt champion answers 503, is recorded and counted as such', async () => {
    await tamperArtifact(root, v1.sha256);
    await state.setRouting('churn', { championVersion: v1.version });
    const from = Date.now();
    expect((await predict(1)).status).toBe(503);
    expect(
      await state.readLoadFailures({ modelId: 'churn', version: v1.version, fromMs: from, toMs: Date.now() + 1 }),
    ).toMatchObject({ count: 1, kind: 'artifact integrity' });
    expect(await metrics()).toMatch(
      new RegExp(
        `ct_gateway_champion_unservable_total\\{model="churn",version="${v1.version}",reason="artifact integrity"\\} 1`,
      ),
    );
  });
});
