import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createDataSources } from '../../../src/adapters/data-sources/index.js';
import { LocalModelRegistry } from '../../../src/adapters/registry/index.js';
import { SqliteServingState } from '../../../src/adapters/serving-state/index.js';
import { createTrainers } from '../../../src/adapters/trainers/index.js';
import { createActivities } from '../../../src/activities/create-activities.js';
import { FlywheelClient } from '../../../src/clients/flywheel-client.js';
import type { FlywheelOptions } from '../../../src/contracts/model-flywheel.js';
import { LINEAR_MODEL_FORMAT } from '../../../src/domain/model-format/linear-model.js';
import { parseModelSpec, type ModelSpec, type ModelSpecInput } from '../../../src/domain/model-spec/model-spec.js';
import { WorkerRole, type WorkerActivities } from '../../../src/workers/activity-roles.js';
import { startWorkers } from '../../../src/workers/start-workers.js';
import { sampleLineage } from '../../support/sample-lineage.js';
import { uniqueId } from '../../support/smoke-worker.js';
import { testWorkerConfig } from '../../support/test-workers.js';
import { Traffic } from './traffic.js';

/**
 * Real activities over temp-dir adapters (registry, snapshots, SQLite serving state,
 * built-in trainer), an orchestration worker and a training worker on unique task queues.
 */
export class Harness {
  readonly dir = mkdtempSync(join(tmpdir(), 'ct-flywheel-'));
  readonly registry = new LocalModelRegistry({ root: join(this.dir, 'registry') });
  readonly serving = new SqliteServingState({ path: join(this.dir, 'serving.db') });
  readonly traffic = new Traffic(this.serving, () => ({ count: 300, errorRate: 0, latencyMs: 5, accuracy: 0.9 }));
  readonly taskQueue = uniqueId('orch-tq');
  readonly trainingTaskQueue = uniqueId('train-tq');
  readonly activities;
  private readonly models = new Set<string>();

  constructor(
    private readonly env: TestWorkflowEnvironment,
    private readonly bundle: WorkflowBundleWithSourceMap,
  ) {
    const snapshotRoot = join(this.dir, 'snapshots');
    this.activities = createActivities({
      registry: this.registry,
      servingState: this.serving,
      dataSources: createDataSources({ snapshotRoot }),
      trainers: createTrainers({ workRoot: join(this.dir, 'train') }),
      snapshotRoot,
    });
  }

  /** A test spec for `id`, remembered so `close()` can clean up its workflows. */
  spec(id: string, over: Partial<ModelSpecInput> = {}): ModelSpec {
    this.models.add(id);
    return testSpec(id, over);
  }

  /** The flywheel client on this harness's queues (the search attributes are registered on the test server, as in production). */
  flywheels(over: FlywheelOptions = {}): FlywheelClient {
    return new FlywheelClient(this.env.client, {
      taskQueue: this.taskQueue,
      flywheelOptions: { trainingTaskQueue: this.trainingTaskQueue, ...over },
    });
  }

  /** Runs `fn` while both workers poll their queues; `overrides` replace single activities (failure paths). */
  async run<T>(fn: () => Promise<T>, overrides: Record<string, unknown> = {}): Promise<T> {
    const acts = this.activities;
    const workers = await startWorkers({
      config: testWorkerConfig(this.env, {
        orchestrationTaskQueue: this.taskQueue,
        trainingTaskQueue: this.trainingTaskQueue,
      }),
      deps: {
        connection: this.env.nativeConnection,
        client: this.env.client,
        activities: acts,
        workflowBundle: this.bundle,
        overrides: {
          readLiveMetrics: async (q: Parameters<typeof acts.readLiveMetrics>[0]) => {
            await this.traffic.fill(q.modelId, q.version, q.fromMs, q.toMs);
            return acts.readLiveMetrics(q);
          },
          ...(overrides as Partial<WorkerActivities>),
        },
      },
      roles: [WorkerRole.orchestration, WorkerRole.training],
    });
    return workers.runUntil(fn);
  }

  /**
   * Registers a weak champion (all-zero weights: always predicts the base rate) as v1,
   * in production, holding all traffic, so a retrained candidate beats it clearly.
   */
  async seedChampion(spec: ModelSpec): Promise<number> {
    const model = {
      format: LINEAR_MODEL_FORMAT,
      task: spec.task,
      label: spec.label.name,
      features: spec.features.map((f) => ({ name: f.name, kind: 'numeric', mean: 0, std: 1, weight: 0 })),
      intercept: 0,
      metadata: { note: 'degraded champion seeded by the test' },
    };
    const art = await this.registry.putArtifact(new TextEncoder().encode(JSON.stringify(model)));
    const { version } = await this.registry.registerVersion({
      modelId: spec.id,
      cycleId: 'seed',
      artifactSha256: art.sha256,
      lineage: sampleLineage(),
    });
    for (const event of ['approved', 'promoted'] as const)
      await this.registry.applyVersionEvent(spec.id, version.version, event, { by: 'test' });
    await this.serving.setRouting(spec.id, { championVersion: version.version });
    return version.version;
  }

  /**
   * Terminates whatever a (possibly failed) test left running. On the file's time-skipping
   * server a leftover whose timer fires with no worker polling blocks time skipping for
   * every later test in the file.
   */
  async close(): Promise<void> {
    const ids = [...this.models].flatMap((m) => [
      `flywheel:${m}`,
      ...[1, 2, 3, 4].flatMap((n) => [`flywheel:${m}:cycle:${n}`, `flywheel:${m}:cycle:${n}:rollout`]),
    ]);
    await Promise.all(
      ids.map((id) =>
        this.env.client.workflow
          .getHandle(id)
          .terminate('test cleanup')
          .catch(() => undefined),
      ),
    );
    await this.serving.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A small SEA fraud spec: fast to train, auto approval, a three-step canary. */
export function testSpec(id: string, over: Partial<ModelSpecInput> = {}): ModelSpec {
  return parseModelSpec({
    id,
    task: 'binaryClassification',
    features: [
      { name: 'f1', type: 'numeric', min: 0, max: 10 },
      { name: 'f2', type: 'numeric', min: 0, max: 10 },
      { name: 'f3', type: 'numeric', min: 0, max: 10 },
    ],
    label: { name: 'is_fraud' },
    dataSource: {
      kind: 'synthetic',
      generator: { name: 'sea', noise: 0.1 },
      seed: 42,
      rowsPerWindow: 2000,
      heldOutFraction: 0.25,
    },
    trainer: {
      kind: 'builtin',
      strategy: 'fullRetrain',
      hyperparameters: { epochs: 15, learningRate: 0.5, l2: 0.0001, batchSize: 256, seed: 1 },
    },
    validation: { minRows: 500 },
    gate: {
      primaryMetric: 'accuracy',
      minImprovement: 0.01,
      significance: { test: 'mcnemar', alpha: 0.05 },
      absoluteFloors: { accuracy: 0.75 },
      maxPredictionLatencyP95Ms: 100,
    },
    approval: { mode: 'auto' },
    rollout: {
      strategy: 'canary',
      steps: [
        { weight: 5, bakeMs: '10m' },
        { weight: 25, bakeMs: '30m' },
        { weight: 100, bakeMs: '10m' },
      ],
      guards: { minSamples: 100, maxErrorRate: 0.02, maxP95LatencyMs: 50, maxAccuracyDrop: 0.05, minLabeled: 50 },
    },
    trigger: {
      debounceMs: '1m',
      cooldownMs: '10m',
      floors: { drift: 0.3 },
      budget: { maxCycles: 10, windowMs: '24h' },
    },
    ...over,
  });
}
