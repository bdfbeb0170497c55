import { mkdir, mkdtemp, readdir, readFile, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SyntheticDataSource } from '../../../src/adapters/data-sources/synthetic-data-source.js';
import type { SnapshotRef } from '../../../src/domain/records/snapshot-ref.js';
import { CommandTrainer } from '../../../src/adapters/trainers/command-trainer.js';
import {
  TrainerCommandError,
  TrainerOutputError,
  TrainingCancelledError,
} from '../../../src/adapters/trainers/errors.js';
import type { TrainAttempt, TrainCheckpoint, TrainProgress } from '../../../src/adapters/trainers/port.js';
import { commandTrainerSchema } from '../../../src/domain/model-spec/trainer-config.js';
import { seaSpec } from '../../support/lifecycle-fixtures.js';
import { waitFor } from '../../support/wait-for.js';

let root: string;
let snapshot: SnapshotRef;
let trainer: CommandTrainer;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ct-cmd-'));
  snapshot = await new SyntheticDataSource({ snapshotRoot: path.join(root, 'snapshots') }).snapshot({
    spec: seaSpec(),
    window: 0,
  });
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
    const out = await trainer.train(snapshot, nodeScript(WRITE_MODEL), {
      heartbeat: (p) => beats.push(p),
      checkpoint: { epoch: 2, state: { step: 2 } },
    });
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
    const refuses = WRITE_MODEL.replace('checkpoint: { step: e }', 'checkpoint: e < 3 ? { step: e } : null').replace(
      '{ trainAccuracy: 0.5 }',
      '{ trainAccuracy: 0.5, resumedFromEpoch: 0 }',
    );
    const beats: TrainProgress[] = [];
    const out = await trainer.train(snapshot, nodeScript(refuses), {
      heartbeat: (p) => beats.push(p),
      checkpoint: { epoch: 2, state: 'stale' },
    });
    expect(out.resumedFromCheckpoint).toBe(false);
    expect(beats.map((b) => b.checkpoint ?? null)).toEqual([
      { epoch: 1, state: { step: 1 } },
      { epoch: 2, state: { step: 2 } },
      null,
    ]);
  });

  it('maps exit 1 to TrainerCommandError with the exit code and the last stderr lines', async () => {
    const script = `for (let i = 1; i <= 30; i++) console.error('log line ' + i); console.error('ValueError: C must be > 0'); process.exit(1);`;
    const err = await trainer.train(snapshot, nodeScript(script), { heartbeat: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainerCommandError);
    const failure = err as TrainerCommandError;
    expect(failure.exitCode).toBe(1);
    expect(failure.stderrTail).toHaveLength(20);
    expect(failure.stderrTail.at(-1)).toBe('ValueError: C must be > 0');
    expect(failure.message).toMatch(
      /exited with code 1; last stderr lines:\nlog line 12\n[\s\S]*ValueError: C must be > 0$/,
    );
  });

  it('refuses an exit 0 without a valid model', async () => {
    await expect(trainer.train(snapshot, nodeScript('process.exit(0)'), { heartbeat: () => {} })).rejects.toThrow(
      TrainerOutputError,
    );
    const wrongLabel = `const fs = require('fs'); const i = JSON.parse(fs.readFileSync(process.argv.at(-1), 'utf8'));
      fs.writeFileSync(i.outputDir + '/model.json', JSON.stringify({ format: 'ct-flywheel/linear-model@1', task: i.task, label: 'other', features: [{ name: 'f1', kind: 'numeric', mean: 0, std: 1, weight: 1 }], intercept: 0 }));`;
    await expect(trainer.train(snapshot, nodeScript(wrongLabel), { heartbeat: () => {} })).rejects.toThrow(
      /model label is "other" but the snapshot's label is "is_fraud"/,
    );
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
    const running = trainer.train(snapshot, nodeScript(script), {
      heartbeat: () => controller.abort(),
      signal: controller.signal,
    });
    await expect(running).rejects.toThrow(TrainingCancelledError);
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    await waitFor(async () => !(await isRunning(grandchild)), {
      describe: "the cancelled command's grandchild to be killed",
      timeoutMs: 5_000,
    });
  });

  it('kills a command that runs past its timeout', async () => {
    const config = nodeScript('setInterval(() => {}, 1000)', { timeoutSeconds: 1 });
    await expect(trainer.train(snapshot, config, { heartbeat: () => {} })).rejects.toThrow(
      /timed out after 1000 ms and was killed/,
    );
  });

  it('says when the program cannot be started', async () => {
    const config = commandTrainerSchema.parse({ kind: 'command', command: [path.join(root, 'no-such-program')] });
    await expect(trainer.train(snapshot, config, { heartbeat: () => {} })).rejects.toThrow(
      /Could not start trainer command .*ENOENT/,
    );
  });
});

/**
 * A program that checkpoints into its output dir like the sklearn example: it refuses to start
 * if the checkpoint it was handed is gone, writes `ckpt.json`, reports it, then fails (exit 1)
 * unless SUCCEED is set, in which case it writes a model.
 */
const CHECKPOINTING = `
const fs = require('fs');
const input = JSON.parse(fs.readFileSync(process.argv.at(-1), 'utf8'));
if (input.checkpoint && !fs.existsSync(input.checkpoint.state.file)) { console.error('checkpoint file is gone: ' + input.checkpoint.state.file); process.exit(3); }
const file = input.outputDir + '/ckpt.json';
fs.writeFileSync(file, '{}');
console.log(JSON.stringify({ epoch: 1, totalEpochs: 2, checkpoint: { file } }));
if (!process.env.SUCCEED) { console.error('worker lost'); process.exit(1); }
fs.writeFileSync(input.outputDir + '/model.json', JSON.stringify({ format: 'ct-flywheel/linear-model@1', task: input.task, label: input.label,
  features: [{ name: 'f1', kind: 'numeric', mean: 5, std: 3, weight: -1 }], intercept: 0 }));
`;

describe('command trainer work dirs', () => {
  /** A trainer over its own work root, and one attempt of an activity on it; resolves to the last checkpoint and the outcome. */
  async function setup() {
    const workRoot = await mkdtemp(path.join(root, 'attempts-'));
    const own = new CommandTrainer({ workRoot });
    const run = async (attempt: TrainAttempt | undefined, checkpoint?: TrainCheckpoint, succeed = false) => {
      let last: TrainCheckpoint | undefined;
      const config = nodeScript(CHECKPOINTING, { env: succeed ? { SUCCEED: '1' } : {} });
      const outcome = await own
        .train(snapshot, config, {
          heartbeat: (p) => (last = p.checkpoint ?? last),
          checkpoint,
          ...(attempt ? { attempt } : {}),
        })
        .then(
          () => 'ok',
          (e: unknown) => (e as Error).message,
        );
      return { last, outcome };
    };
    /** What is left on disk: `<group>/<attempt>` paths. */
    const left = async () =>
      (await readdir(workRoot, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isDirectory() && /attempt-\d+$/.test(e.name))
        .map((e) => `${path.basename(e.parentPath)}/${e.name}`)
        .sort();
    return { workRoot, run, left };
  }
  const attempt = (number: number): TrainAttempt => ({ key: 'flywheel:m:cycle:1/run-1/4', number });

  it('keeps a failed attempt while a retry may need its checkpoint; the retry that succeeds removes every attempt of the activity', async () => {
    const { run, left } = await setup();
    const first = await run(attempt(1));
    expect(first.outcome).toContain('worker lost');
    expect(await left()).toEqual([expect.stringMatching(/^flywheel_m_cycle_1_run-1_4-[0-9a-f]{12}\/attempt-1$/)]);
    // The retry is handed the first attempt's checkpoint: the program finds its file and finishes.
    const retry = await run(attempt(2), first.last, true);
    expect(retry.outcome).toBe('ok');
    expect(await left()).toEqual([]);
  });

  it('a new attempt keeps only the earlier attempt its checkpoint points into, and none when it starts over', async () => {
    const { run, left } = await setup();
    const a1 = await run(attempt(1));
    const a2 = await run(attempt(2), a1.last);
    expect(a2.outcome).toContain('worker lost');
    expect((await left()).map((d) => d.split('/')[1])).toEqual(['attempt-1', 'attempt-2']);
    await run(attempt(3), a2.last); // resumes from attempt 2: attempt 1 is of no use any more
    expect((await left()).map((d) => d.split('/')[1])).toEqual(['attempt-2', 'attempt-3']);
    await run(attempt(4)); // no checkpoint: starts over, nothing earlier is needed
    expect((await left()).map((d) => d.split('/')[1])).toEqual(['attempt-4']);
  });

  it('removes the dir of a failure no retry can fix, and of any failed direct call', async () => {
    const { run, left, workRoot } = await setup();
    const own = new CommandTrainer({ workRoot });
    const noModel = await own
      .train(snapshot, nodeScript('process.exit(0)'), { heartbeat: () => {}, attempt: attempt(1) })
      .catch((e: unknown) => e);
    expect(noModel).toBeInstanceOf(TrainerOutputError);
    expect(await left()).toEqual([]);
    expect((await run(undefined)).outcome).toContain('worker lost'); // not an activity: nobody retries into it
    expect(await readdir(workRoot)).toEqual([]);
  });

  it('a new attempt stops the program an earlier attempt left running when its worker died', async () => {
    const { workRoot, run } = await setup();
    const pidFile = path.join(root, `hung-${Date.now()}.pid`);
    const hang = nodeScript(
      `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000);`,
    );
    // Attempt 1's worker "dies": nobody awaits, cancels or times it out, as after a SIGKILL.
    const abandoned = new CommandTrainer({ workRoot })
      .train(snapshot, hang, { heartbeat: () => {}, attempt: attempt(1) })
      .catch((e: unknown) => e);
    const pid = await waitFor(async () => Number(await readFile(pidFile, 'utf8')) || undefined, {
      describe: 'the hung command to write its pid',
      timeoutMs: 5_000,
    });
    expect(await isRunning(pid)).toBe(true);
    expect((await run(attempt(2), undefined, true)).outcome).toBe('ok');
    // SIGKILL is delivered asynchronously.
    await waitFor(async () => !(await isRunning(pid)), {
      describe: "attempt 1's abandoned command to be killed",
      timeoutMs: 5_000,
    });
    expect(await abandoned).toBeInstanceOf(TrainerCommandError);
  });

  it('sweeps work dirs nobody touched for a day (cancelled cycles, exhausted retries), never fresh ones', async () => {
    const { workRoot, run } = await setup();
    const stale = path.join(workRoot, 'abandoned-cycle', 'attempt-3');
    const fresh = path.join(workRoot, 'other-running-cycle', 'attempt-1');
    await Promise.all([mkdir(stale, { recursive: true }), mkdir(fresh, { recursive: true })]);
    const twoDaysAgo = (Date.now() - 48 * 3_600_000) / 1000;
    await utimes(stale, twoDaysAgo, twoDaysAgo);
    await utimes(path.dirname(stale), twoDaysAgo, twoDaysAgo);
    await run(attempt(1), undefined, true);
    expect(await readdir(workRoot)).toEqual(['other-running-cycle']);
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
