import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainModelInput, TrainResult } from '../../src/activities/training-activities.js';
import { SyntheticDataSource } from '../../src/adapters/data-sources/synthetic-data-source.js';
import { dataLayout } from '../../src/workers/build-activities.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { seaSpec } from '../support/lifecycle-fixtures.js';
import { uniqueId } from '../support/smoke-worker.js';
import { startTestWorkers } from '../support/test-workers.js';
import { bundleWorkflows } from '../workflows/helpers/bundle.js';
import type { RunningWorkers } from '../../src/workers/start-workers.js';
import { waitFor } from '../workflows/helpers/wait-for.js';
import { kill, spawnTrainingWorker } from './flywheel-helpers.js';

const WORKFLOWS = fileURLToPath(new URL('./train-once-workflow.ts', import.meta.url));

const EPOCHS = 9;
const EPOCH_MS = 1_500;
/** The worker is killed right after the program reports this epoch. */
const KILLED_AFTER = 5;

/**
 * A trainer program with slow epochs that checkpoints into its output dir (as the sklearn
 * example does): resumes from `input.checkpoint` when its file exists, logs `<pid> start <n>`
 * and `<pid> epoch <n>` lines to TRAIN_LOG, and records where it started in metrics.json.
 */
const SLOW_TRAINER = `
const fs = require('fs');
const input = JSON.parse(fs.readFileSync(process.argv.at(-1), 'utf8'));
const log = (line) => fs.appendFileSync(process.env.TRAIN_LOG, process.pid + ' ' + line + '\\n');
const ckpt = input.checkpoint;
const start = ckpt && fs.existsSync(ckpt.state.file) ? ckpt.epoch : 0;
log('start ' + start);
const pause = new Int32Array(new SharedArrayBuffer(4));
for (let e = start + 1; e <= ${EPOCHS}; e++) {
  Atomics.wait(pause, 0, 0, ${EPOCH_MS});
  const file = input.outputDir + '/ckpt-' + e + '.json';
  fs.writeFileSync(file, JSON.stringify({ epoch: e }));
  console.log(JSON.stringify({ epoch: e, totalEpochs: ${EPOCHS}, loss: 1 / e, checkpoint: { file } }));
  log('epoch ' + e);
}
fs.writeFileSync(input.outputDir + '/model.json', JSON.stringify({ format: 'ct-flywheel/linear-model@1', task: input.task, label: input.label,
  features: [{ name: 'f1', kind: 'numeric', mean: 5, std: 3, weight: -1 }], intercept: 0 }));
fs.writeFileSync(input.outputDir + '/metrics.json', JSON.stringify({ resumedFromEpoch: start }));
`;

/**
 * Finding F6: heartbeats reached the server only every 0.8 × heartbeatTimeout (the SDK's
 * throttle), so a killed training worker lost every epoch since. Real processes on the dev
 * server: the training worker entrypoint is SIGKILLed mid-training, a fresh one takes the
 * retry, and the retry must resume from the epoch the killed one reached, or the one before.
 */
describe('training worker killed mid-training', () => {
  let env: TestWorkflowEnvironment;
  let dataDir: string;
  let workers: RunningWorkers | undefined;
  const taskQueue = uniqueId('hb-orch');

  beforeAll(async () => {
    const [e, bundle] = await Promise.all([devServerEnv(), bundleWorkflows(WORKFLOWS)]);
    env = e;
    dataDir = await mkdtemp(join(tmpdir(), 'ct-heartbeats-'));
    // The test's own workflow (one trainModel call); training runs in the spawned worker process.
    workers = await startTestWorkers(env, { taskQueue, bundle });
  });
  afterAll(async () => {
    await workers?.stop();
    await env?.teardown();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(`resumes from epoch ≥ ${KILLED_AFTER - 1} after a SIGKILL right after epoch ${KILLED_AFTER}, and leaves no work dir behind`, async () => {
    const trainingQueue = uniqueId('hb-train');
    const trainLog = join(dataDir, 'train.log');
    const spec = seaSpec({
      dataSource: { kind: 'synthetic', generator: { name: 'sea' }, rowsPerWindow: 500 },
      trainer: {
        kind: 'command',
        command: [process.execPath, '-e', SLOW_TRAINER],
        env: { TRAIN_LOG: trainLog },
        timeoutSeconds: 600,
      },
    });
    const snapshot = await new SyntheticDataSource({ snapshotRoot: dataLayout(dataDir).snapshotRoot }).snapshot({
      spec,
      window: 0,
    });
    const input: TrainModelInput = { spec, snapshot, cycleId: 'heartbeat-test' };
    const logLines = async () => (await readFile(trainLog, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);

    const first = spawnTrainingWorker(dataDir, trainingQueue);
    // 10 s instead of training's 30 s only to wait less for the retry: the SDK derives its
    // default throttle the same way (0.8 × heartbeatTimeout = 8 s here, 24 s in production).
    const handle = await env.client.workflow.start('trainOnce', {
      taskQueue,
      workflowId: uniqueId('train-once'),
      args: [input, trainingQueue, '10s'],
    });
    await waitFor(
      async () => (await logLines()).some((l) => l.endsWith(` epoch ${KILLED_AFTER}`)),
      `epoch ${KILLED_AFTER}`,
      120_000,
    );
    // The program keeps running in its own process group: it finishes on its own, or the
    // retry stops it (test/unit/trainers/command-trainer.test.ts); its checkpoints stay either way.
    await kill(first, 'SIGKILL');

    const second = spawnTrainingWorker(dataDir, trainingQueue);
    try {
      const result: TrainResult = await handle.result();
      const starts = (await logLines()).filter((l) => l.includes(' start ')).map((l) => Number(l.split(' ')[2]));
      expect(starts).toHaveLength(2);
      expect(starts[1]).toBeGreaterThanOrEqual(KILLED_AFTER - 1);
      expect(result).toMatchObject({ resumedFromCheckpoint: true, trainingMetrics: { resumedFromEpoch: starts[1] } });
      // Both attempts' work dirs are gone: the killed one's checkpoint was needed only until the retry finished.
      expect(await readdir(dataLayout(dataDir).trainRoot)).toEqual([]);
    } finally {
      await kill(second, 'SIGTERM');
    }
  });
});
