import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startChildServer, type ChildServer } from '../../scripts/lib/child-server.js';
import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import { flywheelWorkflowId } from '../../src/contracts/model-flywheel.js';
import type { FlywheelStatus } from '../../src/domain/flywheel/flywheel-state.js';
import { freePort } from '../../src/local-server/free-port.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { monitoringTools } from '../support/monitoring-tools.js';
import { uniqueId } from '../support/smoke-worker.js';
import { APPROVER, devServerArgs, flywheelDev, spawnFlywheel, specYaml } from './cli-support.js';

const DEPLOY = new URL('../../deploy/', import.meta.url);
const shipped = async (path: string) => parse(await readFile(new URL(path, DEPLOY), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Acceptance of issue 12 with a real Prometheus and a real Alertmanager (provisioned into the
 * cache): `flywheel up` serves a model; a degraded stream of labels makes the SHIPPED
 * CtLiveAccuracyDrop expression fire (only `for:` and the intervals are shortened);
 * Alertmanager routes it with the SHIPPED config (shorter group timings) to the webhook,
 * next to a malformed alert in the same group, which is rejected alone; the flywheel starts
 * a performance cycle, and its metrics reach Prometheus.
 */
describe('Prometheus + Alertmanager → flywheel', () => {
  const model = uniqueId('prom').toLowerCase();
  const token = 'am-test-token';
  let env: TestWorkflowEnvironment;
  let root: string;
  let up: ReturnType<typeof spawnFlywheel> | undefined;
  let upExited: Promise<unknown> = Promise.resolve();
  const servers: ChildServer[] = [];
  let upOutput = () => '';

  beforeAll(async () => {
    env = await devServerEnv();
    root = await mkdtemp(join(tmpdir(), 'prom-am-'));
  });
  afterAll(async () => {
    for (const s of servers.reverse()) await s.stop();
    if (up && up.exitCode === null) {
      up.kill('SIGINT');
      await upExited;
    }
    await env?.client.workflow
      .getHandle(flywheelWorkflowId(model))
      .terminate('e2e done')
      .catch(() => undefined);
    await env?.client.workflow
      .getHandle(`${flywheelWorkflowId(model)}:monitor`)
      .terminate('e2e done')
      .catch(() => undefined);
    await env?.teardown();
    if (root) await rm(root, { recursive: true, force: true });
  });

  // As `flywheel status` reads it: the in-flight step comes from the cycle's own status query.
  const status = (): Promise<FlywheelStatus> => new FlywheelClient(env.client).status(model);
  /** Polls the flywheel's status; a timeout names what was awaited and what the status said. */
  const waitFor = async (what: string, ok: (s: FlywheelStatus) => boolean, timeoutMs = 90_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const s = await status();
      if (ok(s)) return;
      if (Date.now() > end)
        throw new Error(
          `${what}: ${JSON.stringify({ inFlight: s.inFlight, cycles: s.recentCycles, decisions: s.decisions.slice(-3) })}\nflywheel up:\n${upOutput().slice(-4000)}`,
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  it('the shipped accuracy-drop rule fires, Alertmanager routes it, a malformed alert beside it is rejected alone, and a cycle starts', async () => {
    const tools = await monitoringTools();
    const [workerPort, sdkPort, promPort, amPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const queues = {
      CT_ORCHESTRATION_TASK_QUEUE: uniqueId('prom-orch'),
      CT_TRAINING_TASK_QUEUE: uniqueId('prom-train'),
    };

    // 1. flywheel up with its metrics endpoints on free ports.
    up = spawnFlywheel(
      [...devServerArgs(), '--data-dir', join(root, 'data'), 'up', '--port', '0', '--no-server', '--verbose'],
      {
        ...queues,
        FLYWHEEL_WEBHOOK_TOKEN: token,
        CT_WORKER_METRICS_PORT: String(workerPort),
        CT_TEMPORAL_METRICS_PORT: String(sdkPort),
      },
    );
    let stdout = '';
    let stderr = '';
    up.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    up.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    upExited = new Promise((resolve) => up?.on('close', resolve));
    upOutput = () => `${stdout}\n${stderr}`;
    await expect
      .poll(() => stdout.includes('ready:'), { timeout: 120_000, interval: 250, message: `up not ready: ${stderr}` })
      .toBe(true);
    const gateway = /gateway:\s+(http:\/\/\S+)/.exec(stdout)?.[1] ?? '';
    expect(gateway).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // 2. A served champion: start, retrain, approve (the spec's trigger acts at once on a report).
    const spec = parse(specYaml(model)) as Record<string, unknown>;
    spec.trigger = { debounceMs: '1s', cooldownMs: '1s', floors: { drift: 0.3, performance: 0.02 } };
    const specFile = join(root, `${model}.yaml`);
    await writeFile(specFile, stringify(spec));
    const q = [
      '--task-queue',
      queues.CT_ORCHESTRATION_TASK_QUEUE,
      '--training-task-queue',
      queues.CT_TRAINING_TASK_QUEUE,
    ];
    expect((await flywheelDev(['start', specFile, ...q])).code).toBe(0);
    expect((await flywheelDev(['retrain', model, '--force'])).code).toBe(0);
    await waitFor('cycle 1 awaiting approval', (s) => s.inFlight?.step === 'approval');
    const approved = await flywheelDev(['approve', model, '--as', APPROVER]);
    expect(approved.code, approved.stderr).toBe(0);
    await waitFor('v1 serving', (s) => s.champion?.version === 1 && s.inFlight === null);

    // 3. Prometheus with the shipped rules; only `for:` and the intervals are shortened.
    const rules = await shipped('prometheus/rules/ct-flywheel.rules.yml');
    for (const group of rules.groups) {
      group.interval = '1s';
      for (const rule of group.rules) if (rule.for) rule.for = '2s';
    }
    await writeFile(join(root, 'rules.yml'), stringify(rules));
    const promConfig = await shipped('prometheus/prometheus.yml');
    promConfig.global = { scrape_interval: '1s', evaluation_interval: '1s' };
    promConfig.rule_files = [join(root, 'rules.yml')];
    promConfig.alerting.alertmanagers[0].static_configs[0].targets = [`127.0.0.1:${amPort}`];
    const targets: Record<string, string> = {
      'ct-gateway': gateway.replace('http://', ''),
      'ct-worker': `127.0.0.1:${workerPort}`,
      'ct-temporal-sdk': `127.0.0.1:${sdkPort}`,
    };
    for (const job of promConfig.scrape_configs) job.static_configs[0].targets = [targets[job.job_name]];
    await writeFile(join(root, 'prometheus.yml'), stringify(promConfig));

    // 4. Alertmanager with the shipped routing; the webhook is this `up`, timings shortened.
    const am = await shipped('alertmanager/alertmanager.yml');
    for (const r of [am.route, ...am.route.routes]) Object.assign(r, { group_wait: '1s', group_interval: '2s' });
    await writeFile(join(root, 'token'), token);
    const hook = am.receivers.find((r: { name: string }) => r.name === 'ct-flywheel').webhook_configs[0];
    hook.url = `${gateway}/v1/alerts/alertmanager`;
    hook.http_config.authorization.credentials_file = join(root, 'token');
    await writeFile(join(root, 'alertmanager.yml'), stringify(am));

    const ready = (url: string) => async () => ((await fetch(url).catch(() => undefined))?.ok ? true : undefined);
    servers.push(
      await startChildServer({
        label: 'alertmanager',
        command: tools.alertmanager.path,
        args: [
          `--config.file=${join(root, 'alertmanager.yml')}`,
          `--storage.path=${join(root, 'am')}`,
          `--web.listen-address=127.0.0.1:${amPort}`,
          '--cluster.listen-address=',
        ],
        address: `127.0.0.1:${amPort}`,
        probe: ready(`http://127.0.0.1:${amPort}/-/ready`),
        timeoutMs: 30_000,
      }),
    );
    servers.push(
      await startChildServer({
        label: 'prometheus',
        command: tools.prometheus.path,
        args: [
          `--config.file=${join(root, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(root, 'tsdb')}`,
          `--web.listen-address=127.0.0.1:${promPort}`,
        ],
        address: `127.0.0.1:${promPort}`,
        probe: ready(`http://127.0.0.1:${promPort}/-/ready`),
        timeoutMs: 30_000,
      }),
    );
    const promQuery = async (expr: string) => {
      const r = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}`);
      return (
        (await r.json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }
      ).data.result;
    };

    // 5. A malformed alert in the group the real one will join: same model and alertname, a value that is no number.
    const malformed = await fetch(`http://127.0.0.1:${amPort}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          labels: { alertname: 'CtLiveAccuracyDrop', model, kind: 'performance', version: '1', source: 'typo' },
          annotations: { value: 'lots', summary: 'malformed: value is not a number' },
        },
      ]),
    });
    expect(malformed.ok).toBe(true);

    // 6. A degraded stream: 300 answers labelled with the opposite class (live accuracy 0 vs ~0.9 held out).
    // Prometheus's increase() starts from the first sample it scraped, so the counters must be
    // seen early: a first few labels, a scrape, then the rest spread over several scrapes.
    let sent = 0;
    const sendDegraded = async (count: number) => {
      for (let end = sent + count; sent < end; sent++) {
        const i = sent;
        const features = { f1: (i * 7) % 10, f2: (i * 3) % 10, f3: (i * 5) % 10 };
        const p = (await (
          await fetch(`${gateway}/v1/models/${model}/predict`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ features }),
          })
        ).json()) as { prediction: number; requestId: string };
        const f = await fetch(`${gateway}/v1/models/${model}/feedback`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ requestId: p.requestId, label: 1 - p.prediction }),
        });
        expect(f.status).toBe(200);
      }
    };
    await sendDegraded(10);
    await expect
      .poll(async () => (await promQuery(`ct_gateway_labelled_predictions_total{model="${model}"}`)).length, {
        timeout: 30_000,
        interval: 500,
        message: 'Prometheus never scraped the gateway label counters',
      })
      .toBeGreaterThan(0);
    for (let chunk = 0; chunk < 5; chunk++) {
      await sendDegraded(58);
      await new Promise((r) => setTimeout(r, 1500));
    }

    // 7. The shipped rule fires, Alertmanager delivers, the flywheel starts a performance cycle.
    const firing = `ALERTS{alertname="CtLiveAccuracyDrop",model="${model}",alertstate="firing"}`;
    const parts = [
      `ct_gateway_model_heldout_accuracy{model="${model}"}`,
      `ct:gateway_live_accuracy:ratio_rate10m{model="${model}"}`,
      `ct:gateway_labelled_predictions:increase10m{model="${model}"}`,
      `ALERTS{alertname="CtLiveAccuracyDrop",model="${model}"}`,
    ];
    const fireDeadline = Date.now() + 60_000;
    while ((await promQuery(firing)).length === 0) {
      if (Date.now() > fireDeadline) {
        const seen = await Promise.all(parts.map(async (q) => `${q} = ${JSON.stringify(await promQuery(q))}`));
        throw new Error(`CtLiveAccuracyDrop did not fire within 60 s; Prometheus saw:\n${seen.join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    // The cycle may already have ended when the poll looks (the gate can reject in well under a
    // second), so the batch it started with is read from the flywheel's decisions.
    const performanceStart = (st: FlywheelStatus) =>
      st.decisions.find((d) => d.action === 'start' && d.batch?.primary === 'performance')?.batch;
    await waitFor(
      'a performance cycle from the alert',
      (st) => st.cyclesStarted >= 2 && !!performanceStart(st),
      60_000,
    );
    const batch = performanceStart(await status());
    const reasons = JSON.stringify(batch?.samples ?? []);
    expect(reasons).toContain('below its held-out baseline');
    expect(reasons).not.toContain('malformed');
    expect(batch?.maxScore.performance).toBeGreaterThan(0.5);
    // The webhook answered 202 (the malformed alert rejected inside it): Alertmanager counts no failed notification.
    const amMetrics = await (await fetch(`http://127.0.0.1:${amPort}/metrics`)).text();
    expect(amMetrics).toMatch(/alertmanager_notifications_total\{integration="webhook"[^}]*\} [1-9]/);
    expect(amMetrics).toMatch(/alertmanager_notifications_failed_total\{integration="webhook"[^}]*\} 0/);

    // 8. Prometheus scraped the gateway, the monitor's findings and the flywheel's metrics.
    await expect
      .poll(async () => (await promQuery(`ct_monitor_last_check_timestamp_seconds{model="${model}"}`)).length, {
        timeout: 30_000,
      })
      .toBe(1);
    await expect
      .poll(
        async () =>
          (await promQuery(`ct_flywheel_cycles_started_total{model="${model}",trigger="performance"}`)).length,
        {
          timeout: 30_000,
        },
      )
      .toBe(1);
    expect((await promQuery('up{job="ct-temporal-sdk"}'))[0]?.value[1]).toBe('1');
  });
});
