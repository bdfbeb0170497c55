import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlflowModelRegistry } from '../../../src/adapters/registry/index.js';
import { SqliteServingState } from '../../../src/adapters/serving-state/index.js';
import { createGateway } from '../../../src/serving/create-gateway.js';
import { startMlflowServer, type MlflowServer } from '../../../scripts/lib/mlflow-server.js';
import { startCountingProxy, type CountingProxy } from '../../support/counting-proxy.js';
import { classifier, registerModel } from './gateway-fixture.js';

/**
 * The gateway on the MLflow registry: a version's record and artifact are read from MLflow
 * once (verified), then served from memory; only a routing revision that routes a version
 * not yet loaded reads MLflow again. Every request the gateway's registry makes goes
 * through a counting proxy in front of a real MLflow server.
 */
let server: MlflowServer;
let proxy: CountingProxy;
let dir: string;
let state: SqliteServingState;
let app: FastifyInstance;
let base: string;
let v1: number;
let v2: number;

beforeAll(async () => {
  server = await startMlflowServer();
  proxy = await startCountingProxy(server.trackingUri);
  dir = await mkdtemp(join(tmpdir(), 'gateway-mlflow-'));
  state = new SqliteServingState({ path: join(dir, 'serving.db') });
  const writer = new MlflowModelRegistry({ trackingUri: server.trackingUri });
  v1 = (await registerModel(writer, 'churn', classifier(2), 'c1')).version;
  v2 = (await registerModel(writer, 'churn', classifier(-2), 'c2')).version;
  app = createGateway(
    { registry: new MlflowModelRegistry({ trackingUri: proxy.url }), routing: state, predictionLog: state },
    { routingRefreshMs: 20, processMetrics: false },
  );
  base = await app.listen({ host: '127.0.0.1', port: 0 });
}, 300_000);
afterAll(async () => {
  await app?.close();
  await state?.close();
  await proxy?.close();
  await server?.stop();
  if (server) await rm(server.dataDir, { recursive: true, force: true });
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function predictMany(n: number): Promise<Map<number, number>> {
  const byVersion = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${base}/v1/models/churn/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ features: { x: (i % 7) - 3, plan: 'pro' }, requestKey: `k${i}` }),
    });
    expect(res.status).toBe(200);
    const { version } = (await res.json()) as { version: number };
    byVersion.set(version, (byVersion.get(version) ?? 0) + 1);
  }
  return byVersion;
}

describe('gateway reads from the MLflow registry', () => {
  it('reads a version from MLflow once, serves N requests without a MLflow call, and reads again only for a newly routed version', async () => {
    await state.setRouting('churn', { championVersion: v1 });
    await predictMany(1); // warm-up: the champion's record and artifact
    expect(proxy.requests).toEqual([
      'GET /api/2.0/mlflow/model-versions/get',
      expect.stringMatching(/^GET \/api\/2\.0\/mlflow-artifacts\/artifacts\/ct-flywheel\/blobs\/sha256\//),
    ]);
    proxy.reset();
    expect(await predictMany(150)).toEqual(new Map([[v1, 150]]));
    expect(proxy.requests).toEqual([]);

    // A new routing revision with a canary: its version is read once, on the first request routed to it.
    await state.setRouting('churn', { championVersion: v1, canary: { version: v2, weight: 0.5 } });
    await new Promise((r) => setTimeout(r, 50));
    const served = await predictMany(150);
    expect(served.get(v2)).toBeGreaterThan(0);
    expect(proxy.requests).toHaveLength(2);
    proxy.reset();

    // With the registry unreachable, the routed versions keep serving from memory.
    await proxy.close();
    const offline = await predictMany(100);
    expect((offline.get(v1) ?? 0) + (offline.get(v2) ?? 0)).toBe(100);
    expect(proxy.requests).toEqual([]);
  });
});
