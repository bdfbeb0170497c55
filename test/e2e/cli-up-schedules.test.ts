import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/alerts/index.js';
import type { FlywheelStatus } from '../../src/domain/flywheel/flywheel-state.js';
import type { RetrainScheduleInfo } from '../../src/schedules/retrain-schedules.js';
import { flywheelWorkflowId } from '../../src/contracts/model-flywheel.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { uniqueId } from '../support/smoke-worker.js';
import { devServerArgs, flywheel, flywheelDev, spawnFlywheel, specYaml } from './cli-support.js';

/** Schedules, `up`, `demo` and `--help` through the real `flywheel` binary against the shared dev server. */
describe('flywheel CLI: schedules, up, demo, help', () => {
  let env: TestWorkflowEnvironment;
  let root: string;
  const model = uniqueId('cli-sched').toLowerCase();
  const upModel = uniqueId('cli-up').toLowerCase();

  beforeAll(async () => {
    env = await devServerEnv();
    root = await mkdtemp(join(tmpdir(), 'cli-up-'));
  });
  afterAll(async () => {
    // Fires of the triggered schedule wait on ct-orchestration: end them so no later worker picks them up.
    for await (const wf of env.client.workflow.list({
      query: `CtModelId = "${model}" AND ExecutionStatus = "Running"`,
    })) {
      await env.client.workflow
        .getHandle(wf.workflowId)
        .terminate('cli e2e done')
        .catch(() => undefined);
    }
    await env?.client.workflow
      .getHandle(flywheelWorkflowId(upModel))
      .terminate('cli e2e done')
      .catch(() => undefined);
    await env?.teardown();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const listed = async (): Promise<RetrainScheduleInfo[]> => {
    const r = await flywheelDev(['schedule', 'list', model, '--json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as RetrainScheduleInfo[];
  };

  it('schedule create, list, pause, unpause, trigger and delete', async () => {
    const created = await flywheelDev(['schedule', 'create', model, '--cron', '0 3 * * *']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout.trim()).toBe(`created schedule retrain:${model} (cron "0 3 * * *")`);
    const hourly = await flywheelDev([
      'schedule',
      'create',
      model,
      '--every',
      '1h',
      '--name',
      'hourly',
      '--note',
      'catch new labels',
    ]);
    expect(hourly.code, hourly.stderr).toBe(0);

    const twice = await flywheelDev(['schedule', 'create', model, '--cron', '0 4 * * *']);
    expect(twice.code).toBe(1);
    expect(twice.stderr.trim()).toBe(
      `flywheel: Schedule "retrain:${model}" already exists: delete it first, or pass --name for a second schedule.`,
    );
    const both = await flywheelDev([
      'schedule',
      'create',
      model,
      '--cron',
      '0 3 * * *',
      '--every',
      '24h',
      '--name',
      'x',
    ]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('exactly one of --cron');

    // Schedule listing is eventually consistent.
    await expect
      .poll(async () => (await listed()).map((s) => s.scheduleId).sort(), { timeout: 20_000, interval: 500 })
      .toEqual([`retrain:${model}`, `retrain:${model}:hourly`]);
    const table = await flywheelDev(['schedule', 'list', model]);
    expect(table.stdout).toMatch(new RegExp(`retrain:${model}\\s+${model}\\s+active\\s+\\d{4}-\\d\\d-\\d\\dT03:00:00`));
    expect(table.stdout).toContain('catch new labels');

    expect((await flywheelDev(['schedule', 'pause', model, '--note', 'model freeze'])).stdout.trim()).toBe(
      `paused schedule retrain:${model}`,
    );
    await expect
      .poll(async () => (await listed()).find((s) => s.scheduleId === `retrain:${model}`)?.paused, {
        timeout: 20_000,
        interval: 500,
      })
      .toBe(true);
    expect((await flywheelDev(['schedule', 'unpause', `retrain:${model}`])).code).toBe(0);
    await expect
      .poll(async () => (await listed()).find((s) => s.scheduleId === `retrain:${model}`)?.paused, {
        timeout: 20_000,
        interval: 500,
      })
      .toBe(false);

    const fired = await flywheelDev(['schedule', 'trigger', model, '--name', 'hourly']);
    expect(fired.code, fired.stderr).toBe(0);
    expect(fired.stdout.trim()).toBe(`triggered schedule retrain:${model}:hourly`);
    // A new hourly schedule has not fired by itself yet: the action it took is the trigger's.
    await expect
      .poll(
        async () =>
          (await env.client.schedule.getHandle(`retrain:${model}:hourly`).describe()).info.recentActions.length,
        { timeout: 20_000, interval: 500 },
      )
      .toBe(1);

    for (const id of [`retrain:${model}`, `retrain:${model}:hourly`]) {
      const deleted = await flywheelDev(['schedule', 'delete', id]);
      expect(deleted.stdout.trim()).toBe(`deleted schedule ${id}`);
    }
    const gone = await flywheelDev(['schedule', 'delete', model]);
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim()).toBe(`flywheel: No schedule "retrain:${model}". List them with: flywheel schedule list`);
  });

  it('up runs workers, gateway and webhook in one process: an alert posted to it reaches the flywheel it runs; Ctrl-C stops it cleanly', async () => {
    const queues = {
      CT_ORCHESTRATION_TASK_QUEUE: uniqueId('cli-up-orch'),
      CT_TRAINING_TASK_QUEUE: uniqueId('cli-up-train'),
    };
    const token = uniqueId('token');
    const hmacSecret = uniqueId('hmac');
    const up = spawnFlywheel(
      [
        ...devServerArgs(),
        '--data-dir',
        join(root, 'data'),
        'up',
        '--port',
        '0',
        '--no-server',
        '--hmac-tolerance',
        '60',
      ],
      {
        ...queues,
        FLYWHEEL_WEBHOOK_TOKEN: token,
        FLYWHEEL_WEBHOOK_HMAC_SECRET: hmacSecret,
      },
    );
    let stdout = '';
    let stderr = '';
    up.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    up.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => up.on('close', resolve));
    try {
      await expect
        .poll(() => stdout.includes('ready:'), {
          timeout: 120_000,
          interval: 250,
          message: `up did not get ready; stderr: ${stderr}`,
        })
        .toBe(true);
      const gateway = /gateway:\s+(http:\/\/\S+)/.exec(stdout)?.[1];
      expect(gateway).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${gateway}/healthz`)).status).toBe(200);

      const specFile = join(root, `${upModel}.yaml`);
      await writeFile(specFile, specYaml(upModel));
      const started = await flywheelDev([
        'start',
        specFile,
        '--task-queue',
        queues.CT_ORCHESTRATION_TASK_QUEUE,
        '--training-task-queue',
        queues.CT_TRAINING_TASK_QUEUE,
      ]);
      expect(started.code, started.stderr).toBe(0);
      const body = JSON.stringify({ model: upModel, kind: 'drift', score: 0.9, reason: 'PSI 0.5 on f1' });
      const unauthorized = await fetch(`${gateway}/v1/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(unauthorized.status).toBe(401);
      const accepted = await fetch(`${gateway}/v1/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      });
      expect(accepted.status).toBe(202);
      // --hmac-tolerance reaches the webhook: signed 2 minutes ago is too old for 60 s.
      const stale = await fetch(`${gateway}/v1/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signRequest(hmacSecret, body, () => Date.now() - 120_000) },
        body,
      });
      expect(stale.status).toBe(401);
      expect(((await stale.json()) as { message: string }).message).toMatch(/is 12\d s old; the tolerance is 60 s/);

      // Only up's worker polls this queue: the status answer comes from it.
      await expect
        .poll(
          async () =>
            (JSON.parse((await flywheelDev(['status', upModel, '--json'])).stdout || '{}') as Partial<FlywheelStatus>)
              .pending?.maxScore,
          { timeout: 30_000, interval: 500 },
        )
        .toEqual({ drift: 0.9 });
    } finally {
      up.kill('SIGINT');
    }
    expect(await exited, stderr).toBe(0);
    expect(stderr).toContain('SIGINT: draining workers and closing the gateway');
    expect(stderr).toContain('stopped.');
    // Quiet by default: progress lines on the terminal, the JSON logs (SDK and bundler too) in the file the banner names.
    const logFile = join(root, 'data', 'logs', 'flywheel-up.log');
    expect(stdout).toContain(`logs:      ${logFile} (JSON lines; --verbose prints them here instead)`);
    expect(`${stdout}${stderr}`.split('\n').filter((l) => l.trimStart().startsWith('{'))).toEqual([]);
    const logLines = (await readFile(logFile, 'utf8')).trim().split('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const l of logLines) expect(JSON.parse(l)).toHaveProperty('msg');

    // With up gone nobody runs the flywheel: status says so instead of hanging or printing a stack.
    const orphan = await flywheelDev(['status', upModel]);
    expect(orphan.code).toBe(1);
    expect(orphan.stderr).toContain(`flywheel: No worker answered the status query of flywheel:${upModel}`);
  });

  it('up refuses to start a server for an address that is not the local default, and says how to get one', async () => {
    const r = await flywheel(['up', '--address', '127.0.0.1:1', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot reach Temporal at 127.0.0.1:1');
  });

  it('demo delegates to the demo script; every command has --help with examples', async () => {
    const demo = await flywheel(['demo', '--print-command']);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout.trim()).toMatch(/ --import \S+tsx\S+ \S+\/src\/demo\/run-demo\.ts$/);

    const top = await flywheel(['--help']);
    expect(top.code).toBe(0);
    for (const c of [
      'up',
      'start',
      'status',
      'alert',
      'retrain',
      'pause',
      'resume',
      'approve',
      'reject',
      'schedule',
      'history',
      'demo',
      'worker',
      'gateway',
    ])
      expect(top.stdout).toMatch(new RegExp(`\\n  ${c} `));
    const commands = [
      'up',
      'start',
      'status',
      'alert',
      'retrain',
      'pause',
      'resume',
      'approve',
      'reject',
      'schedule create',
      'schedule list',
      'schedule pause',
      'schedule unpause',
      'schedule trigger',
      'schedule delete',
      'history',
      'demo',
    ];
    const helps = await Promise.all(commands.map((c) => flywheel([...c.split(' '), '--help'])));
    helps.forEach((h, i) => {
      expect(h.code, commands[i]).toBe(0);
      expect(h.stdout, commands[i]).toContain('Examples:');
      expect(h.stdout, commands[i]).toContain('--address <host:port>');
    });
  });
});
