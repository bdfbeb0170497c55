import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../src/activities/create-activities.js';
import type { FlywheelStatus } from '../../src/domain/flywheel/flywheel-state.js';
import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import { flywheelWorkflowId } from '../../src/contracts/model-flywheel.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { localActivityDeps } from '../support/local-activity-deps.js';
import { uniqueId } from '../support/smoke-worker.js';
import { startTestWorkers } from '../support/test-workers.js';
import { bundleWorkflows } from '../workflows/helpers/bundle.js';
import { APPROVER, flywheel, flywheelDev, specYaml } from './cli-support.js';

/**
 * Every flywheel command through the real `flywheel` binary against the shared dev server,
 * with a real orchestration + training worker (temp-dir registry, snapshots, SQLite) in
 * this process: start, alert, status, pause/resume, retrain, approve/reject, history, and
 * the error paths a user hits first.
 */
describe('flywheel CLI against the dev server', () => {
  let env: TestWorkflowEnvironment;
  let root: string;
  let deps: ReturnType<typeof localActivityDeps>;
  let specFile: string;
  let stopWorkers: () => Promise<void>;
  const model = uniqueId('cli').toLowerCase();
  const taskQueue = uniqueId('cli-orch');
  const trainingTaskQueue = uniqueId('cli-train');
  const queues = ['--task-queue', taskQueue, '--training-task-queue', trainingTaskQueue];

  // As `flywheel status` reads it: the in-flight step comes from the cycle's own status query.
  const status = () => new FlywheelClient(env.client).status(model);
  const waitFor = async (
    what: string,
    ok: (s: FlywheelStatus) => boolean,
    timeout = 90_000,
  ): Promise<FlywheelStatus> => {
    await expect.poll(async () => ok(await status()), { timeout, interval: 500, message: what }).toBe(true);
    return status();
  };

  beforeAll(async () => {
    const [e, bundle] = await Promise.all([devServerEnv(), bundleWorkflows()]);
    env = e;
    root = await mkdtemp(join(tmpdir(), 'cli-e2e-'));
    deps = localActivityDeps(root);
    specFile = join(root, `${model}.yaml`);
    await writeFile(specFile, specYaml(model));
    const workers = await startTestWorkers(env, {
      taskQueue,
      trainingTaskQueue,
      bundle,
      activities: createActivities(deps),
      client: env.client,
    });
    stopWorkers = () => workers.stop();
  });

  afterAll(async () => {
    for (const id of [
      `${flywheelWorkflowId(model)}:cycle:1`,
      `${flywheelWorkflowId(model)}:cycle:2`,
      flywheelWorkflowId(model),
    ]) {
      await env?.client.workflow
        .getHandle(id)
        .terminate('cli e2e done')
        .catch(() => undefined);
    }
    await stopWorkers?.();
    await deps?.close();
    await env?.teardown();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('explains the first mistakes in one line: unknown model, unreachable server, bad address, bad spec', async () => {
    const unknown = await flywheelDev(['status', 'no-such-model']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe(
      'flywheel: No flywheel for model "no-such-model" (workflow flywheel:no-such-model not found). Start it with: flywheel start <spec>',
    );

    const down = await flywheel(['status', model, '--address', '127.0.0.1:1']);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('Cannot reach Temporal at 127.0.0.1:1');
    expect(down.stderr).toContain('npm run server');
    expect(down.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const badAddress = await flywheel(['status', model, '--address', 'not an address']);
    expect(badAddress.code).toBe(1);
    expect(badAddress.stderr).toContain('address (--address or TEMPORAL_ADDRESS): must be host:port');

    const badSpec = join(root, 'bad.yaml');
    await writeFile(badSpec, specYaml(model).replace('primaryMetric: accuracy', 'primaryMetric: rmse'));
    const refused = await flywheelDev(['start', badSpec, ...queues]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('gate.primaryMetric');
  });

  it('start is idempotent; alert, pause and resume show up in status (table and --json)', async () => {
    const first = await flywheelDev(['start', specFile, ...queues]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`flywheel flywheel:${model} is running`);
    expect(first.stdout).toContain(`monitor monitor-fleet:`);
    expect(first.stdout).toContain(`watches "${model}"`);
    const again = await flywheelDev(['start', specFile, ...queues, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      modelId: model,
      workflowId: `flywheel:${model}`,
      monitorWorkflowId: expect.stringMatching(/^monitor-fleet:.+:\d+-of-\d+$/),
    });

    const alert = await flywheelDev([
      'alert',
      model,
      '--kind',
      'drift',
      '--score',
      '0.8',
      '--reason',
      'f1 PSI 0.41',
      '--feature',
      'f1',
    ]);
    expect(alert.code, alert.stderr).toBe(0);
    expect(alert.stdout).toContain(`sent driftAlert to flywheel:${model}`);
    const perf = await flywheelDev([
      'alert',
      model,
      '--kind',
      'performance',
      '--severity',
      'warning',
      '--score',
      '0.05',
    ]);
    expect(perf.code, perf.stderr).toBe(0);
    await waitFor('both alerts received', (s) => s.triggerCounts.received === 2);

    const table = await flywheelDev(['status', model]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(
      /pending triggers:\s+2 × drift\+performance, primary drift, max score drift 0\.8, performance 0\.05, gathering for \d+m\d+s more/,
    );
    expect(table.stdout).toContain('gather');
    const json = JSON.parse((await flywheelDev(['status', model, '--json'])).stdout) as FlywheelStatus;
    expect(json.pending).toMatchObject({
      kinds: ['drift', 'performance'],
      count: 2,
      maxScore: { drift: 0.8, performance: 0.05 },
    });
    expect(json.inFlight).toBeNull();

    const badAlert = await flywheelDev(['alert', model, '--kind', 'drift', '--score', '7']);
    expect(badAlert.code).toBe(1);
    expect(badAlert.stderr).toContain('score: Number must be less than or equal to 1');

    expect((await flywheelDev(['pause', model, '--reason', 'data freeze', '--as', 'ops'])).code).toBe(0);
    await waitFor('paused', (s) => s.paused);
    expect((await flywheelDev(['status', model])).stdout).toContain('PAUSED');
    expect((await flywheelDev(['resume', model, '--as', 'ops'])).code).toBe(0);
    await waitFor('resumed', (s) => !s.paused);
  });

  it('retrain starts a cycle; approve by a stranger is refused, reject and approve by the approver are answered; history lists both cycles', async () => {
    const nothingPending = await flywheelDev(['approve', model, '--as', APPROVER]);
    expect(nothingPending.code).toBe(1);
    expect(nothingPending.stderr).toContain(`No cycle of "${model}" is waiting for approval (no cycle is in flight)`);

    expect((await flywheelDev(['retrain', model, '--force', '--reason', 'cli test', '--as', 'bob'])).code).toBe(0);
    await waitFor('cycle 1 awaiting approval', (s) => s.inFlight?.step === 'approval');

    const stranger = await flywheelDev(['approve', model, '--as', 'mallory', '--comment', 'ship it']);
    expect(stranger.code).toBe(1);
    expect(stranger.stderr.trim()).toBe(
      `flywheel: Refused by flywheel:${model}:cycle:1: "mallory" is not an approver for this model; allowed: ${APPROVER}`,
    );

    const rejected = await flywheelDev(['reject', model, '--as', APPROVER, '--comment', 'wait for the audit labels']);
    expect(rejected.code, rejected.stderr).toBe(0);
    expect(rejected.stdout).toMatch(new RegExp(`^flywheel:${model}:cycle:1: rejected by ${APPROVER} at \\d{4}-`));
    await waitFor('cycle 1 finished', (s) => s.recentCycles.length === 1);

    expect((await flywheelDev(['retrain', model, '--force', '--as', 'bob'])).code).toBe(0);
    await waitFor('cycle 2 awaiting approval', (s) => s.inFlight?.cycle === 2 && s.inFlight.step === 'approval');
    const approved = await flywheelDev([
      'approve',
      model,
      '--as',
      APPROVER,
      '--comment',
      'held-out accuracy fine',
      '--json',
    ]);
    expect(approved.code, approved.stderr).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({
      cycleId: `flywheel:${model}:cycle:2`,
      decision: 'approved',
      by: APPROVER,
    });
    const done = await waitFor('cycle 2 finished', (s) => s.recentCycles.length === 2);
    expect(done.recentCycles.map((c) => c.outcome)).toEqual(['approvalRejected', 'promoted']);

    const history = await flywheelDev(['history', model, '--data-dir', root]);
    expect(history.code, history.stderr).toBe(0);
    const lines = history.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^CYCLE\s+STARTED\s+TOOK\s+TRIGGER\s+OUTCOME\s+VERSION\s+ACCURACY\s+APPROVAL\s+REASON/);
    expect(lines[1]).toMatch(
      /^1\s.*manual\s+approvalRejected\s+v1 \(rejected\)\s+0\.\d{4}\s+rejected by alice@example\.com/,
    );
    expect(lines[2]).toMatch(/^2\s.*manual\s+promoted\s+v2 \(production\)\s+0\.\d{4}\s+approved by alice@example\.com/);

    const json = JSON.parse(
      (await flywheelDev(['history', model, '--data-dir', root, '--json', '--steps'])).stdout,
    ) as {
      cycles: Array<{ cycle: number; outcome: string; version?: { stage: string } }>;
      reports: Record<string, { outcome: string; steps: Array<{ step: string }> }>;
    };
    expect(json.cycles.map((c) => [c.cycle, c.outcome, c.version?.stage])).toEqual([
      [1, 'approvalRejected', 'rejected'],
      [2, 'promoted', 'production'],
    ]);
    expect(json.reports[`flywheel:${model}:cycle:2`]?.steps.map((s) => s.step)).toContain('approval');
  });
});
