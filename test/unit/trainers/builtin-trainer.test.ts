import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSnapshot } from '../../../src/adapters/data-sources/snapshot-store.js';
import { BuiltinTrainer } from '../../../src/adapters/trainers/builtin-trainer.js';
import type { TrainCheckpoint, TrainProgress } from '../../../src/adapters/trainers/port.js';
import { LINEAR_MODEL_FORMAT, parseLinearModel } from '../../../src/domain/model-format/linear-model.js';
import { predict } from '../../../src/domain/model-format/predict.js';
import { builtinTrainerSchema } from '../../../src/domain/model-spec/trainer-config.js';
import { createRng } from '../../../src/stats/random.js';
import { categorical, numeric } from '../../../src/stats/table.js';
import {
  buildSeaBeforeAfter,
  heldOutAccuracy,
  SEA_CHANGE_WINDOW,
  seaSpec,
  type SeaBeforeAfter,
} from '../../support/lifecycle-fixtures.js';

const trainer = new BuiltinTrainer();
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe('builtin trainer on SEA before and after a concept change', () => {
  let sea: SeaBeforeAfter;
  beforeAll(async () => {
    sea = await buildSeaBeforeAfter();
  });

  it('the retrained model is clearly more accurate on post-change held-out rows', async () => {
    const stale = await heldOutAccuracy(sea.preModel.model, sea.postSnapshot);
    const retrained = await heldOutAccuracy(sea.postModel.model, sea.postSnapshot);
    // θ moved from 8 to 9: the stale model mislabels the ~8.5 % of rows with 8 < f1 + f2 ≤ 9.
    expect(retrained - stale).toBeGreaterThan(0.03); // 0.824 → 0.870 with the fixture seeds
    expect(retrained).toBeGreaterThan(0.85); // 10 % label noise caps accuracy at ~0.9
    // …and the stale model is still the better one on its own (pre-change) rows.
    expect(await heldOutAccuracy(sea.preModel.model, sea.preSnapshot)).toBeGreaterThan(
      await heldOutAccuracy(sea.postModel.model, sea.preSnapshot),
    );
  });

  it('learns the SEA rule: f1 and f2 matter equally, f3 not at all', () => {
    const w = Object.fromEntries(
      sea.postModel.model.features.map((f) => [f.name, f.kind === 'numeric' ? f.weight : 0]),
    );
    expect(Math.abs(w.f1! / w.f2! - 1)).toBeLessThan(0.25);
    expect(Math.abs(w.f3!)).toBeLessThan(0.15 * Math.abs(w.f1!));
    expect(sea.postModel.output).toMatchObject({ epochs: 30, resumedFromCheckpoint: false, warmStarted: false });
    expect(sea.postModel.model.metadata).toMatchObject({
      trainer: 'builtin',
      algorithm: 'logisticRegression',
      snapshotId: sea.postSnapshot.snapshotId,
    });
  });

  it('is deterministic for a seed', async () => {
    const again = await trainer.train(sea.postSnapshot, sea.spec.trainer, { heartbeat: () => {} });
    expect(decode(again.artifact)).toBe(decode(sea.postModel.artifact));
  });

  it('resumes from a heartbeat checkpoint and ends exactly where an uninterrupted run ends', async () => {
    const beats: TrainProgress[] = [];
    const controller = new AbortController();
    const interrupted = trainer.train(sea.postSnapshot, sea.spec.trainer, {
      heartbeat: (p) => {
        beats.push(p);
        if (p.epoch === 12) controller.abort(); // the worker "dies" after epoch 12
      },
      signal: controller.signal,
    });
    await expect(interrupted).rejects.toThrow(/cancelled at epoch 12 of 30/);
    const checkpoint = JSON.parse(JSON.stringify(beats.at(-1)!.checkpoint)) as TrainCheckpoint; // as it travels through Temporal
    expect(checkpoint.epoch).toBe(12);

    const resumedBeats: number[] = [];
    const resumed = await trainer.train(sea.postSnapshot, sea.spec.trainer, {
      heartbeat: (p) => resumedBeats.push(p.epoch),
      checkpoint,
    });
    expect(resumed.resumedFromCheckpoint).toBe(true);
    expect(resumedBeats[0]).toBe(13);
    expect(resumedBeats).toHaveLength(18);
    expect(decode(resumed.artifact)).toBe(decode(sea.postModel.artifact));
  });

  it('fine-tune starts from the champion; full retrain ignores it', async () => {
    const fineTune = builtinTrainerSchema.parse({
      kind: 'builtin',
      strategy: 'fineTune',
      hyperparameters: { epochs: 1, learningRate: 1e-9 },
    });
    const out = await trainer.train(sea.postSnapshot, fineTune, {
      heartbeat: () => {},
      warmStart: { bytes: sea.preModel.artifact, format: LINEAR_MODEL_FORMAT },
    });
    expect(out.warmStarted).toBe(true);
    // With a vanishing learning rate the fine-tuned model is the champion re-expressed in the new standardization.
    const model = parseLinearModel(decode(out.artifact));
    const rng = createRng(5);
    for (let i = 0; i < 50; i++) {
      const row = { f1: rng.nextFloat() * 10, f2: rng.nextFloat() * 10, f3: rng.nextFloat() * 10 };
      expect(predict(model, row)).toBe(predict(sea.preModel.model, row));
    }
    const full = await trainer.train(
      sea.postSnapshot,
      { ...fineTune, strategy: 'fullRetrain' },
      { heartbeat: () => {}, warmStart: { bytes: sea.preModel.artifact, format: LINEAR_MODEL_FORMAT } },
    );
    expect(full.warmStarted).toBe(false);
  });

  it(`uses the documented change point (window ${SEA_CHANGE_WINDOW})`, () => {
    expect(seaSpec().dataSource).toMatchObject({
      generator: {
        concepts: [{ fromWindow: 0, threshold: 8 }, { fromWindow: SEA_CHANGE_WINDOW, threshold: 9 }, {}, {}],
      },
    });
  });
});

describe('builtin trainer: ridge regression with one-hot features', () => {
  it('recovers known coefficients', async () => {
    const rng = createRng(11);
    const n = 3000;
    const x = Float64Array.from({ length: n }, () => rng.nextNormal() * 4 + 10);
    const city = Array.from({ length: n }, () => ['oslo', 'rome', 'lima'][rng.nextInt(3)]!);
    const effect: Record<string, number> = { oslo: 5, rome: -3, lima: 0 };
    const y = Float64Array.from(x, (v, i) => 2 * v + effect[city[i]!]! + 1 + rng.nextNormal() * 0.1);
    const schema = {
      task: 'regression' as const,
      features: [
        { name: 'x', type: 'numeric' as const, required: true },
        { name: 'city', type: 'categorical' as const, required: true },
      ],
      label: { name: 'y' },
    };
    const root = await mkdtemp(path.join(tmpdir(), 'ct-ridge-'));
    const all = { rowCount: n, columns: { x: numeric(x), city: categorical(city), y: numeric(y) } };
    const ref = await writeSnapshot(root, {
      modelId: 'price',
      schema,
      train: all,
      heldOut: all,
      profile: {},
      source: {},
    });
    const config = builtinTrainerSchema.parse({
      kind: 'builtin',
      hyperparameters: { epochs: 60, l2: 0, learningRate: 0.1 },
    });
    const out = await trainer.train(ref, config, { heartbeat: () => {} });
    const model = parseLinearModel(decode(out.artifact));
    expect(model.metadata.algorithm).toBe('ridgeRegression');
    expect(out.metrics.trainRmse).toBeLessThan(0.15);
    const at = (xv: number, c: string) => predict(model, { x: xv, city: c });
    expect(at(11, 'lima') - at(10, 'lima')).toBeCloseTo(2, 1);
    expect(at(10, 'oslo') - at(10, 'rome')).toBeCloseTo(8, 1);
    expect(at(0, 'lima')).toBeCloseTo(1, 0);
  });
});
