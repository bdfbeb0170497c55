import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSources } from '../../src/adapters/data-sources/index.js';
import { openScorer } from '../../src/adapters/model-formats/index.js';
import { loadModelSpec } from '../../src/adapters/spec-loader.js';
import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import { parseModelSpec, type ModelSpec, type ModelSpecInput } from '../../src/domain/model-spec/model-spec.js';
import { createGateway } from '../../src/serving/create-gateway.js';
import { buildActivities } from '../../src/workers/build-activities.js';
import { retrainRequestedSignal } from '../../src/contracts/model-flywheel.js';
import { cycleStatusQuery, cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { ensurePython, REPO } from '../support/python-example.js';
import { uniqueId } from '../support/smoke-worker.js';
import { startTestWorkers } from '../support/test-workers.js';
import { bundleWorkflows } from '../workflows/helpers/bundle.js';
import { waitFor } from '../workflows/helpers/wait-for.js';
import { heldOutTraffic, startTraffic } from './live-traffic.js';

const APPROVER = 'ml-oncall@example.com';

/**
 * Models trained in Python and exported to ONNX, through the whole flywheel on the dev server
 * with real workers, the real gateway over HTTP, the local registry and the SQLite prediction
 * log: snapshot → train (a Python subprocess) → model.onnx → gate (significance against the
 * champion, latency of the ONNX scorer) → human approval → shadow → canary → promotion, with
 * live traffic and delayed labels flowing through the gateway the whole time.
 */
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
let python: string;
let dir: string;
let built: ReturnType<typeof buildActivities>;
let gateway: ReturnType<typeof createGateway>;
let gatewayUrl: string;

beforeAll(async () => {
  [env, bundle, python] = await Promise.all([
    devServerEnv(),
    bundleWorkflows(),
    ensurePython('examples/python-sklearn/requirements.txt', 'examples/python-lightgbm/requirements.txt'),
  ]);
  dir = mkdtempSync(path.join(tmpdir(), 'ct-onnx-e2e-'));
  built = buildActivities(dir);
  gateway = createGateway(
    {
      registry: built.registry,
      routing: built.servingState,
      predictionLog: built.servingState,
      loadFailures: built.servingState,
    },
    { processMetrics: false },
  );
  gatewayUrl = await gateway.listen({ host: '127.0.0.1', port: 0 });
}, 900_000);
afterAll(async () => {
  await gateway?.close();
  await built?.close();
  built?.registry.close();
  await env?.teardown();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Real-time policies: a person approves every cycle, then 3 s of shadow and 3 s of 50 % canary. */
const E2E_POLICIES = {
  approval: { mode: 'manual', approvers: [APPROVER], timeoutMs: '10m', onTimeout: 'reject' },
  rollout: {
    strategy: 'shadow',
    durationMs: '3s',
    minAgreement: 0.5,
    steps: [{ weight: 50, bakeMs: '3s' }],
    guards: { minSamples: 20, maxErrorRate: 0, maxP95LatencyMs: 250, maxAccuracyDrop: 0.2, minLabeled: 10 },
    thinTraffic: { maxExtensions: 5, onExhausted: 'rollback' },
  },
  trigger: { debounceMs: 0, cooldownMs: 0 },
} satisfies Partial<ModelSpecInput>;

/** An example spec under a fresh id, trained by the venv's python, with the e2e policies on top. */
async function exampleSpec(file: string, over: Partial<ModelSpecInput> = {}): Promise<ModelSpec> {
  const spec = await loadModelSpec(path.join(REPO, file));
  const trainer =
    spec.trainer.kind === 'command'
      ? { ...spec.trainer, command: [python, ...spec.trainer.command.slice(1)] }
      : spec.trainer;
  return parseModelSpec({ ...spec, id: uniqueId(spec.id).toLowerCase(), trainer, ...E2E_POLICIES, ...over });
}

/** Approves cycle n when it asks (or returns at once if it ended before asking) and waits for its report. */
async function approveAndFinish(client: FlywheelClient, modelId: string, n: number): Promise<CycleReport> {
  const cycle = env.client.workflow.getHandle(cycleWorkflowId(modelId, n));
  const asked = await waitFor(
    async () => {
      if ((await cycle.describe()).status.name !== 'RUNNING') return 'ended';
      return (await cycle.query(cycleStatusQuery.definition)).approval.pending && 'pending';
    },
    `cycle ${n} of ${modelId} to ask for approval`,
    300_000,
  );
  if (asked === 'pending')
    await client.approve({
      cycleId: cycleWorkflowId(modelId, n),
      by: APPROVER,
      comment: 'e2e: reviewed the gate report',
    });
  return (await cycle.result()) as CycleReport;
}

/**
 * Cycle 1 serves `first` (no champion: served directly once approved); then, under live
 * traffic (the held-out rows of `second`'s data), the flywheel takes `second` and runs cycle 2
 * against that champion.
 */
async function championThenChallenger(first: ModelSpec, second: ModelSpec) {
  const taskQueue = uniqueId('onnx-e2e-orch');
  const trainingTaskQueue = uniqueId('onnx-e2e-train');
  const rows = await heldOutTraffic(
    (
      await createDataSources({ snapshotRoot: path.join(dir, 'traffic') })[second.dataSource.kind].snapshot({
        spec: second,
      })
    ).path,
  );
  const workers = await startTestWorkers(env, { taskQueue, trainingTaskQueue, bundle, activities: built.activities });
  return workers.runUntil(async () => {
    const client = new FlywheelClient(env.client, { taskQueue, flywheelOptions: { trainingTaskQueue } });
    const flywheel = await client.start(first);
    try {
      await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'e2e', force: true });
      const cycle1 = await approveAndFinish(client, first.id, 1);
      expect(cycle1, cycle1.reason).toMatchObject({ outcome: 'promoted', candidateVersion: 1 });
      const startedAt = Date.now();
      const traffic = startTraffic(gatewayUrl, first.id, rows);
      await client.updatePolicy(first.id, {
        spec: second as unknown as Record<string, unknown>,
        by: 'e2e',
        reason: 'the challenger',
      });
      await flywheel.signal(retrainRequestedSignal.definition, { requestedBy: 'e2e', force: true });
      const cycle2 = await approveAndFinish(client, first.id, 2).finally(() => traffic.stop());
      return { cycle1, cycle2, rows, tally: traffic.tally, window: { fromMs: startedAt, toMs: Date.now() + 1 } };
    } finally {
      await flywheel.terminate('onnx e2e done').catch(() => undefined);
    }
  });
}

/** What every ONNX challenger must show once promoted: gate evidence, routing, the gateway's answers, the log. */
async function expectPromotedOnnx(spec: ModelSpec, run: Awaited<ReturnType<typeof championThenChallenger>>) {
  const { cycle2, rows, tally, window } = run;
  expect(cycle2, cycle2.reason).toMatchObject({ outcome: 'promoted', candidateVersion: 2, championVersionBefore: 1 });
  const v2 = await built.registry.getVersion(spec.id, 2);
  const scorer = await openScorer({
    bytes: await built.registry.getArtifact(v2.artifact.sha256),
    features: spec.features,
    task: spec.task,
  });
  expect(scorer.format).toBe('onnx');
  // Registration recorded what serves: format, opset, inputs and outputs.
  expect(v2.lineage.model).toMatchObject({
    format: 'onnx',
    task: spec.task,
    onnx: { scoreOutput: spec.task === 'regression' ? 'variable' : 'probabilities' },
  });
  const significance = v2.lineage.gate?.reasons.find((r) => r.code === 'significance');
  expect(significance, JSON.stringify(v2.lineage.gate?.reasons)).toMatchObject({
    status: 'passed',
    subject: spec.gate.primaryMetric,
  });
  expect(v2.lineage.gate?.latencyP95Ms).toBeGreaterThan(0);
  expect(v2.approval).toMatchObject({ decision: 'approved', by: APPROVER });
  const rollout = cycle2.steps.find((s) => s.step === 'rollout');
  expect(String(rollout?.data?.steps)).toMatch(/shadow.*canary/s);

  expect(await built.servingState.getRouting(spec.id)).toMatchObject({ championVersion: 2 });
  // Every request was answered, by v1 and (canary) v2; after promotion v2 answers alone.
  expect(tally.failed).toBe(0);
  expect([...tally.byVersion.keys()].sort()).toEqual([1, 2]);
  const res = await fetch(`${gatewayUrl}/v1/models/${spec.id}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ features: rows[0]!.features }),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ version: 2 });
  // The prediction log fed the rollout: v2's live metrics over the run, labels joined.
  const live = await built.servingState.readLiveMetrics({ modelId: spec.id, version: 2, ...window, task: spec.task });
  expect(live.count).toBeGreaterThan(20);
  expect(live.labeledCount).toBeGreaterThan(10);
  expect(live.errorRate).toBe(0);
  return live;
}

describe('ONNX models through the flywheel (dev server, Python trainers, gateway)', () => {
  it('LightGBM trees: a concept change is retrained, gated with McNemar, approved, shadowed, canaried and promoted', async () => {
    const sea = (defaultWindow: number) => ({
      dataSource: {
        kind: 'synthetic' as const,
        generator: {
          name: 'sea' as const,
          noise: 0.05,
          concepts: [
            { fromWindow: 0, threshold: 8 },
            { fromWindow: 1, threshold: 11 },
          ],
        },
        seed: 42,
        rowsPerWindow: 4000,
        defaultWindow,
        heldOutFraction: 0.25,
      },
    });
    const first = await exampleSpec('examples/fraud-sea-lightgbm.yaml', sea(0));
    const second = parseModelSpec({ ...first, ...sea(1) });
    const run = await championThenChallenger(first, second);
    const v1 = await built.registry.getVersion(first.id, 1);
    expect(
      (
        await openScorer({
          bytes: await built.registry.getArtifact(v1.artifact.sha256),
          features: first.features,
          task: first.task,
        })
      ).format,
    ).toBe('onnx');
    const live = await expectPromotedOnnx(second, run);
    expect(live.accuracy).toBeGreaterThan(0.85);
    // Shadow copies of v2 were compared with v1's served answers.
    const shadow = await built.servingState.readLiveMetrics({
      modelId: first.id,
      version: 2,
      ...run.window,
      task: first.task,
    });
    expect(shadow.shadowCount).toBeGreaterThan(20);
    expect(shadow.agreement).toBeGreaterThan(0.5);
  }, 600_000);

  it('a scikit-learn Pipeline (one-hot categorical + random forest, one ONNX input per column, the segment as a string tensor) is approved, served and judged under live traffic', async () => {
    // The credit stream's labels follow a logistic rule, so a forest cannot beat a linear
    // champion on it; here the forest is the champion (cycle 1), serves string categoricals
    // through the gateway, and its retrain after the covariate shift is judged by the gate.
    const first = await exampleSpec('examples/credit-sklearn-onnx.yaml');
    const shifted = { ...first.dataSource, defaultWindow: 11 } as ModelSpec['dataSource'];
    const second = parseModelSpec({ ...first, dataSource: shifted });
    const run = await championThenChallenger(first, second);
    expect(run.cycle1, run.cycle1.reason).toMatchObject({ outcome: 'promoted', candidateVersion: 1 });
    const v1 = await built.registry.getVersion(first.id, 1);
    expect(v1.lineage.model).toMatchObject({
      format: 'onnx',
      onnx: { inputLayout: 'columns', scoreOutput: expect.any(String) },
    });
    expect(run.tally.failed).toBe(0);
    expect(run.tally.byVersion.get(1)).toBeGreaterThan(20);
    const live = await built.servingState.readLiveMetrics({
      modelId: first.id,
      version: 1,
      ...run.window,
      task: first.task,
    });
    expect(live.errorRate).toBe(0);
    expect(live.labeledCount).toBeGreaterThan(10);
    // Covariate shift leaves P(y | x) alone: the retrained forest is no significant gain
    // (DeLong p ≈ 0.054 with these seeds), so the gate keeps the champion and its traffic.
    expect(run.cycle2, run.cycle2.reason).toMatchObject({ outcome: 'gateRejected', candidateVersion: 2 });
    expect(await built.servingState.getRouting(first.id)).toMatchObject({ championVersion: 1 });
  }, 600_000);

  it('a scikit-learn neural net (regression) replaces a linear champion: paired bootstrap on rmse, approval, shadow, canary, promotion', async () => {
    const second = await exampleSpec('examples/delivery-mlp-onnx.yaml');
    const first = parseModelSpec({ ...second, trainer: { kind: 'builtin' } });
    const run = await championThenChallenger(first, second);
    const v1 = await built.registry.getVersion(first.id, 1);
    expect((await openScorer({ bytes: await built.registry.getArtifact(v1.artifact.sha256) })).format).not.toBe('onnx');
    const live = await expectPromotedOnnx(second, run);
    expect(live.mae).toBeLessThan(0.1);
  }, 600_000);
});
