import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { createActivities } from '../../src/activities/create-activities.js';
import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import type { FlywheelListRow } from '../../src/clients/flywheel-listing.js';
import { flywheelWorkflowId } from '../../src/contracts/model-flywheel.js';
import {
  ROLLOUT_WORKFLOW,
  rolloutStatusQuery,
  rolloutWorkflowId,
  type RolloutInput,
} from '../../src/contracts/rollout.js';
import { cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { RolloutPolicySchema } from '../../src/domain/policies/rollout-policy.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { registerTwoLinearVersions } from '../support/linear-versions.js';
import { localActivityDeps } from '../support/local-activity-deps.js';
import { uniqueId } from '../support/smoke-worker.js';
import { startTestWorkers } from '../support/test-workers.js';
import { bundleWorkflows } from '../workflows/helpers/bundle.js';
import { flywheelDev, specYaml } from './cli-support.js';

/**
 * The operator's commands through the real `flywheel` binary against the shared dev server,
 * with real workers (temp-dir registry, snapshots, SQLite) in this process: list, policy
 * merge and show, stop (drain and --cancel), a failing step in status, rollout promote/abort.
 */
describe('flywheel CLI: operating flywheels', () => {
  let env: TestWorkflowEnvironment;
  let root: string;
  let deps: ReturnType<typeof localActivityDeps>;
  let stopWorkers: () => Promise<void>;
  const idle = uniqueId('op-idle').toLowerCase();
  const broken = uniqueId('op-broken').toLowerCase();
  const rolled = uniqueId('op-rollout').toLowerCase();
  const taskQueue = uniqueId('op-orch');
  const trainingTaskQueue = uniqueId('op-train');
  const queues = ['--task-queue', taskQueue, '--training-task-queue', trainingTaskQueue];

  const ok = async (args: string[]) => {
    const r = await flywheelDev(args);
    expect(r.code, `flywheel ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r.stdout;
  };
  const specFile = async (id: string, change: (spec: Record<string, unknown>) => void = () => undefined) => {
    const spec = parse(specYaml(id)) as Record<string, unknown>;
    change(spec);
    const file = join(root, `${id}.yaml`);
    await writeFile(file, stringify(spec));
    return file;
  };
  const listed = async (args: string[] = []) =>
    (JSON.parse(await ok(['list', '--json', ...args])) as { flywheels: FlywheelListRow[] }).flywheels;
  const statusOf = async (id: string) => (await env.client.workflow.getHandle(id).describe()).status.name;

  beforeAll(async () => {
    const [e, bundle] = await Promise.all([devServerEnv(), bundleWorkflows()]);
    env = e;
    root = await mkdtemp(join(tmpdir(), 'cli-operate-'));
    deps = localActivityDeps(root);
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
    for (const model of [idle, broken, rolled]) {
      for (const id of [
        flywheelWorkflowId(model),
        cycleWorkflowId(model, 1),
        rolloutWorkflowId(cycleWorkflowId(model, 1)),
        rolloutWorkflowId(cycleWorkflowId(model, 2)),
      ])
        await env?.client.workflow
          .getHandle(id)
          .terminate('cli operate e2e done')
          .catch(() => undefined);
    }
    await stopWorkers?.();
    await deps?.close();
    await env?.teardown();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('list finds the flywheel by stage; policy merges a partial section and show prints it; rollout says none is running; stop drains an idle flywheel and its monitor', async () => {
    await ok(['start', await specFile(idle), ...queues]);

    await expect
      .poll(async () => (await listed(['--stage', 'idle'])).find((r) => r.modelId === idle), { timeout: 30_000 })
      .toMatchObject({ workflowId: flywheelWorkflowId(idle), status: 'RUNNING', stage: 'idle' });
    expect((await listed(['--stage', 'cycle'])).map((r) => r.modelId)).not.toContain(idle);
    expect(await ok(['list'])).toMatch(
      new RegExp(`^${idle}\\s+RUNNING\\s+idle\\s+-\\s+manual\\s+direct\\s+\\d{4}-`, 'm'),
    );
    const badStage = await flywheelDev(['list', '--stage', 'training']);
    expect(badStage.code).toBe(1);
    expect(badStage.stderr).toBe('flywheel: --stage "training": use one of idle, cycle\n');

    // The spec has debounce 10m, floors drift 0.3 / performance 0.02: a cooldown alone keeps them.
    const changed = await ok(['policy', idle, '--trigger', '{"cooldownMs":"2h","floors":{"drift":0.4}}']);
    expect(changed).toContain(`flywheel:${idle}: spec revision 2 (changed: trigger)`);
    const shown = JSON.parse(await ok(['policy', 'show', idle, '--json'])) as {
      specRevision: number;
      spec: { trigger: unknown };
    };
    expect(shown.specRevision).toBe(2);
    expect(shown.spec.trigger).toEqual({
      debounceMs: 600_000,
      cooldownMs: 7_200_000,
      floors: { drift: 0.4, performance: 0.02, newData: 1000 },
      budget: { maxCycles: 4, windowMs: 86_400_000 },
      harm: { enabled: true, minImportantDriftShare: 0.1, minMeasuredDrop: 0.02, minEstimatedDrop: 0.02 },
    });
    const yaml = await ok(['policy', 'show', idle]);
    expect(yaml.split('\n')[0]).toBe(`# spec revision 2 in force in flywheel:${idle} (durations in ms)`);
    expect((parse(yaml) as { id: string }).id).toBe(idle);
    // --replace keeps the old meaning: fields left out take their defaults.
    await ok(['policy', idle, '--trigger', '{"cooldownMs":"2h"}', '--replace']);
    const replaced = JSON.parse(await ok(['policy', 'show', idle, '--json'])) as {
      spec: { trigger: { debounceMs: number } };
    };
    expect(replaced.spec.trigger.debounceMs).toBe(300_000);

    const noRollout = await flywheelDev(['rollout', 'abort', idle]);
    expect(noRollout.code).toBe(1);
    expect(noRollout.stderr).toBe(
      `flywheel: No rollout in progress for "${idle}" (no cycle is in flight). See flywheel status ${idle}; pass --cycle <n> for a specific cycle's rollout.\n`,
    );

    const monitors = new FlywheelClient(env.client, { taskQueue });
    await expect.poll(() => monitors.shardModelStatus(idle), { timeout: 30_000 }).not.toBeNull();
    const stopped = await flywheelDev(['stop', idle, '--reason', 'e2e', '--task-queue', taskQueue]);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain(`flywheel:${idle} stopped (drained: no cycle was in flight)`);
    expect(stopped.stdout).toContain(`monitor ${monitors.monitorShardId(idle)} stopped`);
    expect(stopped.stderr).toContain(`paused flywheel:${idle}: no new cycle starts`);
    expect(await statusOf(flywheelWorkflowId(idle))).toBe('CANCELLED');
    await expect.poll(() => monitors.shardModelStatus(idle), { timeout: 30_000 }).toBeNull();
    const again = await ok(['stop', idle, '--task-queue', taskQueue]);
    expect(again).toContain(`flywheel:${idle} was already cancelled`);
  });

  it("status shows a failing step's attempt count and last error; stop --cancel cancels the cycle and stops the flywheel", async () => {
    const missing = join(root, 'no-such-data.csv');
    await ok([
      'start',
      await specFile(broken, (s) => {
        s.dataSource = { kind: 'csv', path: missing };
      }),
      ...queues,
      '--no-monitor',
    ]);
    await ok(['retrain', broken, '--reason', 'e2e']);
    let status = '';
    await expect
      .poll(async () => (status = (await flywheelDev(['status', broken])).stdout), { timeout: 60_000, interval: 1000 })
      .toMatch(/^failing: +snapshot\w* attempt [2-9]/m);
    expect(status).toMatch(new RegExp(`^failing: .*last error: .*${missing.replace(/[.]/g, '\\.')}`, 'm'));

    const stopped = await flywheelDev(['stop', broken, '--cancel', '--task-queue', taskQueue]);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain(`flywheel:${broken} stopped (cancelled: ${cycleWorkflowId(broken, 1)} cancelled)`);
    expect(stopped.stdout).toContain(
      `monitor ${new FlywheelClient(env.client, { taskQueue }).monitorShardId(broken)} was not running`,
    );
    expect(await statusOf(cycleWorkflowId(broken, 1))).toBe('CANCELLED');
    expect(await statusOf(flywheelWorkflowId(broken))).toBe('CANCELLED');
  });

  it('rollout promote and abort steer a canary in its bake, and the rollout reports its weight and bake end', async () => {
    await registerTwoLinearVersions(deps.registry, rolled);
    await deps.servingState.setRouting(rolled, { championVersion: 1 });
    const start = async (cycle: number) => {
      const input: RolloutInput = {
        modelId: rolled,
        candidateVersion: 2,
        championVersion: 1,
        policy: RolloutPolicySchema.parse({ strategy: 'canary', steps: [{ weight: 10, bakeMs: '10m' }] }),
      };
      const handle = await env.client.workflow.start(ROLLOUT_WORKFLOW, {
        taskQueue,
        workflowId: rolloutWorkflowId(cycleWorkflowId(rolled, cycle)),
        args: [input],
      });
      await expect
        .poll(async () => (await handle.query(rolloutStatusQuery.definition)).bake, { timeout: 30_000 })
        .toMatchObject({ phase: 'canary 10% for 10m', kind: 'traffic', weight: 0.1, extensions: 0, maxExtensions: 3 });
      const bake = (await handle.query(rolloutStatusQuery.definition)).bake!;
      expect(bake.endsAt - bake.startedAt).toBeGreaterThanOrEqual(600_000);
    };

    await start(1);
    const promoted = await ok([
      'rollout',
      'promote',
      rolled,
      '--cycle',
      '1',
      '--as',
      'ana',
      '--reason',
      'clean canary',
    ]);
    expect(promoted).toContain(`sent promoteNow to ${rolloutWorkflowId(cycleWorkflowId(rolled, 1))}`);
    expect(promoted).toContain('rollout promoted: v2 promoted: promoted now by ana: clean canary');
    expect(await deps.servingState.getRouting(rolled)).toMatchObject({ championVersion: 2 });

    const over = await flywheelDev(['rollout', 'abort', rolled, '--cycle', '1']);
    expect(over.code).toBe(1);
    expect(over.stderr).toBe(
      `flywheel: No rollout in progress for "${rolled}": ${rolloutWorkflowId(cycleWorkflowId(rolled, 1))} is completed. See flywheel history ${rolled}.\n`,
    );

    await deps.servingState.setRouting(rolled, { championVersion: 1 });
    await start(2);
    const aborted = JSON.parse(await ok(['rollout', 'abort', rolled, '--cycle', '2', '--as', 'bo', '--json'])) as {
      result: { outcome: string; reason: string };
    };
    expect(aborted.result.outcome).toBe('aborted');
    expect(aborted.result.reason).toBe('aborted by bo during canary 10% for 10m');
    const routing = await deps.servingState.getRouting(rolled);
    expect(routing).toMatchObject({ championVersion: 1 });
    expect(routing?.canary).toBeUndefined();
  });
});
