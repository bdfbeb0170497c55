import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { SyntheticDataSource } from '../../../src/adapters/data-sources/synthetic-data-source.js';
import type { SnapshotRef } from '../../../src/adapters/data-sources/port.js';
import { CommandTrainer } from '../../../src/adapters/trainers/command-trainer.js';
import { TrainerCommandError, TrainerOutputError, TrainingCancelledError } from '../../../src/adapters/trainers/errors.js';
import type { TrainProgress } from '../../../src/adapters/trainers/port.js';
import { commandTrainerSchema } from '../../../src/domain/model-spec/trainer-config.js';
import { seaSpec } from '../../support/lifecycle-fixtures.js';

let root: string;
let snapshot: SnapshotRef;
let trainer: CommandTrainer;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ct-cmd-'));
  snapshot = await new SyntheticDataSource({ snapshotRoot: path.join(root, 'snapshots') }).snapshot({ spec: seaSpec(), window: 0 });
  trainer = new CommandTrainer({ workRoot: path.join(root, 'work') });
});

/** A trainer config running an inline Node.js program; the input file path is its last argument. */
const nodeScript = (source: string, extra: object = {}) =>
  commandTrainerSchema.parse({ kind: 'command', command: [process.execPath, '-e', source], ...extra });

const WRITE_MODEL = `
const fs = require('fs');
const input = JSON.parse(fs.readFileSync(process.argv.at(-1), 'utf8'));
const header = fs.readFileSync(input.snapshot.train, 'utf8').split('\\n')[0];
for (let e = 1; e <= 3; e++) console.log(JSON.stringify({ epoch: e, totalEpochs: 3, loss: 1 / e, checkpoint: { step: e } }));
console.log('free-form log line');
fs.writeFileSync(input.outputDir + '/model.json', JSON.stringify({ format: 'ct-flywheel/linear-model@1', task: input.task, label: input.label,
  features: [{ name: 'f1', kind: 'numeric', mean: 5, std: 3, weight: -1 }], intercept: 0, metadata: { header, resumedFrom: input.checkpoint } }));
fs.writeFileSync(input.outputDir + '/metrics.json', JSON.stringify({ trainAccuracy: 0.5 }));
`;

describe('command trainer', () => {
  it('passes the input file, turns stdout JSON lines into heartbeats and reads model.json + metrics.json', async () => {
    const beats: TrainProgress[] = [];
    const out = await trainer.train(snapshot, nodeScript(WRITE_MODEL), { heartbeat: (p) => beats.push(p), checkpoint: { epoch: 2, state: { step: 2 } } });
    expect(beats.map((b) => [b.epoch, b.loss, b.checkpoint])).toEqual([
      [1, 1, { epoch: 1, state: { step: 1 } }],
      [2, 0.5, { epoch: 2, state: { step: 2 } }],
      [3, 1 / 3, { epoch: 3, state: { step: 3 } }],
    ]);
    expect(out).toMatchObject({ metrics: { trainAccuracy: 0.5 }, epochs: 3, resumedFromCheckpoint: true });
    const model = JSON.parse(new TextDecoder().decode(out.artifact));
    expect(model.metadata).toEqual({ header: 'f1,f2,f3,is_fraud', resumedFrom: { epoch: 2, state: { step: 2 } } });
  });

  it("believes the program's resumedFromEpoch over the checkpoint it was handed; a null checkpoint is no checkpoint", async () => {
    const refuses = WRITE_MODEL.replace('checkpoint: { step: e }', 'checkpoint: e < 3 ? { step: e } : null').replace("{ trainAccuracy: 0.5 }", '{ trainAccuracy: 0.5, resumedFromEpoch: 0 }');
    const beats: TrainProgress[] = [];
    const out = await trainer.train(snapshot, nodeScript(refuses), { heartbeat: (p) => beats.push(p), checkpoint: { epoch: 2, state: 'stale' } });
    expect(out.resumedFromCheckpoint).toBe(false);
    expect(beats.map((b) => b.checkpoint ?? null)).toEqual([{ epoch: 1, state: { step: 1 } }, { epoch: 2, state: { step: 2 } }, null]);
  });

  it('maps exit 1 to TrainerCommandError with the exit code and the last stderr lines', async () => {
    const script = `for (let i = 1; i <= 30; i++) console.error('log line ' + i); console.error('ValueError: C must be > 0'); process.exit(1);`;
    const err = await trainer.train(snapshot, nodeScript(script), { heartbeat: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainerCommandError);
    const failure = err as TrainerCommandError;
    expect(failure.exitCode).toBe(1);
    expect(failure.stderrTail).toHaveLength(20);
    expect(failure.stderrTail.at(-1)).toBe('ValueError: C must be > 0');
    expect(failure.message).toMatch(/exited with code 1; last stderr lines:\nlog line 12\n[\s\S]*ValueError: C must be > 0$/);
  });

  it('refuses an exit 0 without a valid model', async () => {
    await expect(trainer.train(snapshot, nodeScript('process.exit(0)'), { heartbeat: () => {} })).rejects.toThrow(TrainerOutputError);
    const wrongLabel = `const fs = require('fs'); const i = JSON.parse(fs.readFileSync(process.argv.at(-1), 'utf8'));
      fs.writeFileSync(i.outputDir + '/model.json', JSON.stringify({ format: 'ct-flywheel/linear-model@1', task: i.task, label: 'other', features: [{ name: 'f1', kind: 'numeric', mean: 0, std: 1, weight: 1 }], intercept: 0 }));`;
    await expect(trainer.train(snapshot, nodeScript(wrongLabel), { heartbeat: () => {} })).rejects.toThrow(/model label is "other" but the snapshot's label is "is_fraud"/);
  });

  it('cancellation kills the whole process group, grandchildren included', async () => {
    const pidFile = path.join(root, 'grandchild.pid');
    const script = `
      const { spawn } = require('child_process');
      const child = spawn('sleep', ['300'], { stdio: 'ignore' });
      require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(child.pid));
      console.log(JSON.stringify({ epoch: 1, totalEpochs: 100 }));
      setInterval(() => {}, 1000);`;
    const controller = new AbortController();
    const running = trainer.train(snapshot, nodeScript(script), { heartbeat: () => controller.abort(), signal: controller.signal });
    await expect(running).rejects.toThrow(TrainingCancelledError);
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    await sleep(200);
    expect(await isRunning(grandchild)).toBe(false);
  });

  it('kills a command that runs past its timeout', async () => {
    const config = nodeScript('setInterval(() => {}, 1000)', { timeoutSeconds: 1 });
    await expect(trainer.train(snapshot, config, { heartbeat: () => {} })).rejects.toThrow(/timed out after 1000 ms and was killed/);
  });

  it('says when the program cannot be started', async () => {
    const config = commandTrainerSchema.parse({ kind: 'command', command: [path.join(root, 'no-such-program')] });
    await expect(trainer.train(snapshot, config, { heartbeat: () => {} })).rejects.toThrow(/Could not start trainer command .*ENOENT/);
  });
});

/** Alive = exists and is not a zombie (PID 1 in a container may not reap orphans). */
async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}
