import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeArtifact, openScorerShas } from '../../../src/adapters/model-formats/index.js';
import { LocalModelRegistry } from '../../../src/adapters/registry/index.js';
import { SqliteServingState } from '../../../src/adapters/serving-state/index.js';
import type { ModelDescription } from '../../../src/domain/model-format/model-description.js';
import { createGateway } from '../../../src/serving/create-gateway.js';
import { sampleLineage } from '../../support/sample-lineage.js';
import { waitFor } from '../../support/wait-for.js';
import {
  expectedScores,
  FIXTURE_FEATURES,
  fixtureBytes,
  NUMERIC_FEATURES,
  probeRows,
} from '../model-format/onnx-fixtures.js';

let root: string;
let registry: LocalModelRegistry;
let state: SqliteServingState;
let app: FastifyInstance;
let base: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'gateway-onnx-'));
  registry = new LocalModelRegistry({ root });
  state = new SqliteServingState({ path: join(root, 'serving.db') });
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

/**
 * Registers an ONNX fixture with the description registration records. `model` overrides it:
 * a misfit registered around the registration check (an old registry, a hand-made record)
 * carries the spec's binding its artifact does not fit.
 */
async function registerOnnx(file: string, cycle: string, model?: ModelDescription) {
  const bytes = fixtureBytes(file);
  const ref = await registry.putArtifact(bytes);
  const description =
    model ??
    (await describeArtifact({
      bytes,
      sha256: ref.sha256,
      features: file.includes('columns') ? FIXTURE_FEATURES : NUMERIC_FEATURES,
      task: 'binaryClassification',
    }));
  const { version } = await registry.registerVersion({
    modelId: 'churn',
    cycleId: cycle,
    artifactSha256: ref.sha256,
    lineage: { ...sampleLineage(), model: description },
  });
  return { version: version.version, sha256: ref.sha256 };
}

const asSpec = (features: typeof FIXTURE_FEATURES): ModelDescription => ({
  format: 'onnx',
  task: 'binaryClassification',
  features: features.map((f) => ({ name: f.name, kind: f.type })),
});

async function predict(features: Record<string, unknown>) {
  const res = await fetch(`${base}/v1/models/churn/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ features }),
  });
  return {
    status: res.status,
    json: (await res.json()) as {
      version?: number;
      probability?: number;
      prediction?: number;
      requestId?: string;
      message?: string;
    },
  };
}

const arms = () =>
  state.db.prepare('SELECT role AS arm, version, probability FROM predictions ORDER BY id').all() as Array<{
    arm: string;
    version: number;
    probability: number;
  }>;

describe('the gateway serves ONNX models through the Scorer port', () => {
  it('answers with the probabilities the Python library computed (per-column pipeline, ZipMap), mirrors to an ONNX shadow and logs both', async () => {
    const champion = await registerOnnx('forest-columns.onnx', 'c1');
    const shadow = await registerOnnx('gbdt200-matrix.onnx', 'c2');
    await state.setRouting('churn', { championVersion: champion.version, shadowVersion: shadow.version });
    const want = expectedScores('forest-columns.onnx');
    const answers = await Promise.all(probeRows().map((row) => predict(row)));
    answers.forEach((a, i) => {
      expect(a.status).toBe(200);
      expect(a.json.version).toBe(champion.version);
      expect(Math.abs(a.json.probability! - want[i]!)).toBeLessThanOrEqual(1e-5);
      expect(a.json.prediction).toBe(a.json.probability! >= 0.5 ? 1 : 0);
    });
    // Shadow copies are scored after the answers, off the request path.
    const logged = await waitFor(
      async () => {
        await app.ctGateway.flushPredictionLog();
        const rows = arms();
        return rows.length >= 16 && rows;
      },
      { describe: 'the 8 answers and their 8 shadow copies to be logged', timeoutMs: 5_000 },
    );
    expect(logged.filter((r) => r.arm === 'champion')).toHaveLength(8);
    const shadows = logged.filter((r) => r.arm === 'shadow');
    expect(shadows).toHaveLength(8);
    const gbdt = [...expectedScores('gbdt200-matrix.onnx')].sort((a, b) => a - b);
    shadows
      .map((r) => r.probability)
      .sort((a, b) => a - b)
      .forEach((p, i) => expect(Math.abs(p - gbdt[i]!)).toBeLessThanOrEqual(1e-5));
  });

  it('releases the session of a version the routing stops serving', async () => {
    const v1 = await registerOnnx('logreg-matrix.onnx', 'c1');
    const v2 = await registerOnnx('gbdt200-matrix.onnx', 'c2');
    await state.setRouting('churn', { championVersion: v1.version });
    expect((await predict(probeRows()[0]!)).status).toBe(200);
    await state.setRouting('churn', { championVersion: v2.version });
    await waitFor(async () => (await predict(probeRows()[0]!)).json.version === v2.version, {
      describe: 'the gateway to serve v2 after its routing refresh',
      timeoutMs: 5_000,
    });
    await waitFor(() => !openScorerShas().includes(v1.sha256), {
      describe: "v1's session to be released",
      timeoutMs: 5_000,
    });
    expect(openScorerShas()).toContain(v2.sha256);
  });
});

describe('an ONNX model that does not fit its spec never gets a 500', () => {
  it.each([
    [
      'bad-input-name.onnx',
      FIXTURE_FEATURES,
      /^ONNX input 'tenure_months' \(float32 \[N,1\]\) is not a feature of the spec/,
    ],
    ['bad-feature-count.onnx', NUMERIC_FEATURES, /^ONNX input 'input' is float32 \[N,3\] but the spec has 2 features/],
    ['bad-no-probability.onnx', NUMERIC_FEATURES, /^ONNX model has no probability output/],
  ] as const)(
    '%s as canary: its share goes to the champion and the refusal is recorded; as champion: 503 naming it',
    async (file, features, message) => {
      const good = await registerOnnx('forest-columns.onnx', 'c1');
      const bad = await registerOnnx(file, 'c2', asSpec(features));
      await state.setRouting('churn', { championVersion: good.version, canary: { version: bad.version, weight: 0.5 } });
      const from = Date.now();
      for (let i = 0; i < 20; i++) {
        const a = await predict(probeRows()[i % 8]!);
        expect(a.status).toBe(200);
        expect(a.json.version).toBe(good.version);
      }
      const refused = await state.readLoadFailures({
        modelId: 'churn',
        version: bad.version,
        fromMs: from,
        toMs: Date.now() + 1,
      });
      expect(refused).toMatchObject({ kind: 'invalid model artifact' });
      expect(refused?.message).toMatch(message);

      await state.setRouting('churn', { championVersion: bad.version });
      const down = await waitFor(
        async () => {
          const answer = await predict(probeRows()[0]!);
          return answer.status !== 200 && answer;
        },
        { describe: 'the gateway to route to the misfit champion after its routing refresh', timeoutMs: 5_000 },
      );
      expect(down.status).toBe(503);
      expect(down.json.message).toMatch(
        new RegExp(`version ${bad.version} cannot be served: ${message.source.slice(1)}`),
      );
    },
  );

  it('a corrupt .onnx champion answers 503 naming the problem', async () => {
    const bytes = fixtureBytes('forest-columns.onnx').slice(0, 5000);
    const ref = await registry.putArtifact(bytes);
    const { version } = await registry.registerVersion({
      modelId: 'churn',
      cycleId: 'c1',
      artifactSha256: ref.sha256,
      lineage: { ...sampleLineage(), model: asSpec(FIXTURE_FEATURES) },
    });
    await state.setRouting('churn', { championVersion: version.version });
    const down = await predict(probeRows()[0]!);
    expect(down.status).toBe(503);
    expect(down.json.message).toMatch(/cannot be served: artifact is not (a loadable )?an? ?ONNX model/);
  });
});
