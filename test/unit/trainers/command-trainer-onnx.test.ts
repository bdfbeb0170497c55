import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SyntheticDataSource } from '../../../src/adapters/data-sources/synthetic-data-source.js';
import { openScorerShas } from '../../../src/adapters/model-formats/index.js';
import { CommandTrainer } from '../../../src/adapters/trainers/command-trainer.js';
import { TrainerOutputError } from '../../../src/adapters/trainers/errors.js';
import { commandTrainerSchema } from '../../../src/domain/model-spec/trainer-config.js';
import type { SnapshotRef } from '../../../src/domain/records/snapshot-ref.js';
import { seaSpec } from '../../support/lifecycle-fixtures.js';
import { fixtureBytes, fixturePath } from '../model-format/onnx-fixtures.js';

let snapshot: SnapshotRef;
let trainer: CommandTrainer;
beforeAll(async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'ct-cmd-onnx-'));
  snapshot = await new SyntheticDataSource({ snapshotRoot: path.join(root, 'snapshots') }).snapshot({
    spec: seaSpec(),
    window: 0,
  });
  trainer = new CommandTrainer({ workRoot: path.join(root, 'work') });
});

/** A trainer program that copies an ONNX file into outputDir as model.onnx (and, optionally, a model.json beside it). */
const copyOnnx = (file: string, alsoJson = false, strategy: 'fullRetrain' | 'fineTune' = 'fullRetrain') =>
  commandTrainerSchema.parse({
    kind: 'command',
    strategy,
    command: [
      process.execPath,
      '-e',
      `const fs = require('fs');
const input = JSON.parse(fs.readFileSync(process.argv.at(-1), 'utf8'));
fs.copyFileSync(${JSON.stringify(file)}, input.outputDir + '/model.onnx');
if (${alsoJson}) fs.writeFileSync(input.outputDir + '/model.json', '{"not": "read"}');
const warm = input.warmStartModel ? { path: input.warmStartModel, format: input.warmStartModelFormat, bytes: fs.readFileSync(input.warmStartModel).length } : null;
fs.writeFileSync(input.outputDir + '/metrics.json', JSON.stringify({ warmBytes: warm ? warm.bytes : -1, warmOnnx: warm && warm.format === 'onnx' && warm.path.endsWith('.onnx') ? 1 : 0, contractV2: input.contract === 'ct-flywheel/trainer-command@2' ? 1 : 0 }));`,
    ],
  });

// The sea schema has three numeric features f1, f2, f3: a [N,3] logistic regression fits it.
const FITS_SEA = 'bad-feature-count.onnx';

describe('command trainer: model.onnx (trainer contract v2)', () => {
  it('takes model.onnx as the artifact, byte for byte, over a model.json beside it', async () => {
    const out = await trainer.train(snapshot, copyOnnx(fixturePath(FITS_SEA), true), { heartbeat: () => {} });
    expect(Buffer.from(out.artifact).equals(Buffer.from(fixtureBytes(FITS_SEA)))).toBe(true);
    expect(out.metrics).toMatchObject({ contractV2: 1, warmBytes: -1 });
    expect(openScorerShas()).toEqual([]); // checked, then released: the trainer does not serve
  });

  it('refuses a model.onnx that does not fit the snapshot, naming the input and both shapes in one line', async () => {
    const err = await trainer
      .train(snapshot, copyOnnx(fixturePath('logreg-matrix.onnx')), { heartbeat: () => {} })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainerOutputError);
    expect((err as Error).message).toMatch(
      /model\.onnx: ONNX input 'input' is float32 \[N,2\] but the spec has 3 features: expected float32 \[N,3\] \(f1, f2, f3\)$/,
    );
    expect((err as Error).message).not.toContain('\n');
  });

  it('refuses a corrupt model.onnx', async () => {
    const err = await trainer
      .train(snapshot, copyOnnx(fixturePath('generate.py')), { heartbeat: () => {} })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainerOutputError);
    expect((err as Error).message).toMatch(/model\.onnx: artifact is not (a loadable )?an? ?ONNX model/);
  });

  it('fineTune hands the program the champion artifact whatever its format (warm-start-model.onnx)', async () => {
    const champion = fixtureBytes(FITS_SEA);
    const out = await trainer.train(snapshot, copyOnnx(fixturePath(FITS_SEA), false, 'fineTune'), {
      heartbeat: () => {},
      warmStart: { bytes: champion, format: 'onnx' },
    });
    expect(out.warmStarted).toBe(true);
    expect(out.metrics).toMatchObject({ warmBytes: champion.length, warmOnnx: 1 });
  });
});
