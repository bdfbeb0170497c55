import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTrainingActivities,
  type TrainHeartbeat,
  type TrainResult,
} from '../../../src/activities/training-activities.js';
import { SyntheticDataSource } from '../../../src/adapters/data-sources/synthetic-data-source.js';
import type { SnapshotRef } from '../../../src/domain/records/snapshot-ref.js';
import { LocalModelRegistry } from '../../../src/adapters/registry/index.js';
import { createTrainers } from '../../../src/adapters/trainers/index.js';
import { parseLinearModel } from '../../../src/domain/model-format/linear-model.js';
import type { ModelSpec } from '../../../src/domain/model-spec/model-spec.js';
import { sampleLineage } from '../../support/sample-lineage.js';
import { seaSpec } from '../../support/lifecycle-fixtures.js';

let root: string;
let registry: LocalModelRegistry;
let activities: ReturnType<typeof createTrainingActivities>;
let spec: ModelSpec;
let snapshot: SnapshotRef;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ct-train-act-'));
  registry = new LocalModelRegistry({ root: path.join(root, 'registry') });
  activities = createTrainingActivities({
    trainers: createTrainers({ workRoot: path.join(root, 'training') }),
    registry,
  });
  spec = seaSpec({
    dataSource: { kind: 'synthetic', generator: { name: 'sea' }, rowsPerWindow: 2000 },
    trainer: { kind: 'builtin', hyperparameters: { epochs: 20 } },
  });
  snapshot = await new SyntheticDataSource({ snapshotRoot: path.join(root, 'snapshots') }).snapshot({
    spec,
    window: 10,
  });
});

describe('trainModel activity', () => {
  it('stores the artifact in the registry and returns only its hash and metrics', async () => {
    const result = await activities.trainModel({ spec, snapshot, cycleId: 'c1' });
    expect(result).toMatchObject({
      trainer: 'builtin',
      epochs: 20,
      resumedFromCheckpoint: false,
      hyperparameters: { epochs: 20 },
    });
    expect(result.trainingMetrics.trainAccuracy).toBeGreaterThan(0.8);
    const model = parseLinearModel(new TextDecoder().decode(await registry.getArtifact(result.artifactSha256)));
    expect(model.metadata.snapshotId).toBe(snapshot.snapshotId);
  });

  it('a retried attempt resumes from the last heartbeat and stores the same artifact', async () => {
    const uninterrupted = await activities.trainModel({ spec, snapshot, cycleId: 'c2' });

    const first = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR', () => {}) });
    const beats: TrainHeartbeat[] = [];
    first.on('heartbeat', (d: TrainHeartbeat) => {
      beats.push(d);
      if (d.epoch === 7) first.cancel(); // the attempt is lost after epoch 7
    });
    const failed = await first.run(activities.trainModel, { spec, snapshot, cycleId: 'c2' }).catch((e: unknown) => e);
    // Reported as the SDK's cancellation, not a permanent failure: a worker shutdown must retry elsewhere.
    expect(failed).toBeInstanceOf(CancelledFailure);
    expect(beats.at(-1)).toMatchObject({
      epoch: 7,
      totalEpochs: 20,
      snapshotSha256: snapshot.sha256,
      checkpoint: { epoch: 7 },
    });

    const retry = new MockActivityEnvironment({
      heartbeatDetails: JSON.parse(JSON.stringify(beats.at(-1))),
      attempt: 2,
    });
    const epochs: number[] = [];
    retry.on('heartbeat', (d: TrainHeartbeat) => epochs.push(d.epoch));
    const resumed: TrainResult = await retry.run(activities.trainModel, { spec, snapshot, cycleId: 'c2' });
    expect(resumed.resumedFromCheckpoint).toBe(true);
    expect(epochs[0]).toBe(8);
    expect(resumed.artifactSha256).toBe(uninterrupted.artifactSha256);
  });

  it('keeps the last checkpoint in the heartbeat when a later progress line has none', async () => {
    const script = `
const fs = require('fs');
const input = JSON.parse(fs.readFileSync(process.argv.at(-1), 'utf8'));
console.log(JSON.stringify({ epoch: 1, totalEpochs: 3, checkpoint: { file: 'ckpt-1' } }));
console.log(JSON.stringify({ epoch: 2, totalEpochs: 3, checkpoint: { file: 'ckpt-2' } }));
console.log(JSON.stringify({ epoch: 3, totalEpochs: 3 }));
fs.writeFileSync(input.outputDir + '/model.json', JSON.stringify({ format: 'ct-flywheel/linear-model@1', task: input.task, label: input.label,
  features: [{ name: 'f1', kind: 'numeric', mean: 5, std: 3, weight: -1 }], intercept: 0 }));
`;
    const commandSpec = {
      ...spec,
      trainer: { kind: 'command' as const, command: [process.execPath, '-e', script], env: {}, hyperparameters: {} },
    } as unknown as ModelSpec;
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR', () => {}) });
    const beats: TrainHeartbeat[] = [];
    env.on('heartbeat', (d: TrainHeartbeat) => beats.push(d));
    await env.run(activities.trainModel, { spec: commandSpec, snapshot, cycleId: 'c5' });
    expect(beats.map((b) => [b.epoch, b.checkpoint])).toEqual([
      [1, { epoch: 1, state: { file: 'ckpt-1' } }],
      [2, { epoch: 2, state: { file: 'ckpt-2' } }],
      [3, { epoch: 2, state: { file: 'ckpt-2' } }],
    ]);
  });

  it('fine-tunes from the champion version in the registry', async () => {
    const champion = await activities.trainModel({ spec, snapshot, cycleId: 'c3' });
    const { version } = await registry.registerVersion({
      modelId: spec.id,
      cycleId: 'c3',
      artifactSha256: champion.artifactSha256,
      lineage: sampleLineage(),
    });
    const fineTune = { ...spec, trainer: { ...spec.trainer, strategy: 'fineTune' as const } };
    const result = await activities.trainModel({
      spec: fineTune,
      snapshot,
      cycleId: 'c4',
      warmStartFromVersion: version.version,
    });
    expect(result.warmStartedFromVersion).toBe(version.version);
  });

  it('a failing trainer command is a retryable TrainerFailed failure with the stderr tail', async () => {
    const failing = {
      ...spec,
      trainer: {
        kind: 'command' as const,
        strategy: 'fullRetrain' as const,
        command: [process.execPath, '-e', 'console.error("CUDA out of memory"); process.exit(3)'],
        env: {},
        timeoutSeconds: 60,
        hyperparameters: {},
      },
    };
    const err = (await activities
      .trainModel({ spec: failing, snapshot, cycleId: 'c5' })
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'TrainerFailed', nonRetryable: false });
    expect(err.message).toMatch(/exited with code 3; last stderr lines:\nCUDA out of memory/);
    expect(err.details?.[0]).toMatchObject({ exitCode: 3, stderrTail: ['CUDA out of memory'] });
  });

  it('refuses bad input before training', async () => {
    const err = (await activities
      .trainModel({ spec: { ...spec, id: 'Bad Id' }, snapshot, cycleId: 'c6' })
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect(err).toMatchObject({ type: 'InvalidInput', nonRetryable: true });
    expect(err.message).toMatch(/trainModel: invalid input: spec\.id/);
  });
});
