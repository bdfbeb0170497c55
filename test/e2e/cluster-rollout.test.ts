import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataSources } from '../../src/adapters/data-sources/index.js';
import { PostgresServingState } from '../../src/adapters/serving-state/index.js';
import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import { driftAlertSignal, retrainRequestedSignal } from '../../src/contracts/model-flywheel.js';
import { rolloutStatusQuery, rolloutWorkflowId, type RolloutResult } from '../../src/contracts/rollout.js';
import { cycleStatusQuery, cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import { freePort } from '../../scripts/lib/free-port.js';
import type { ClusterState } from '../../scripts/lib/cluster/cluster-state.js';
import { fixtureForModel } from '../fixtures/alertmanager/refused-payloads.js';
import { ClusterProcesses, postAlertmanager, type GatewayReplica } from '../support/cluster-processes.js';
import { sharedCluster } from '../support/shared-cluster.js';
import { waitFor } from '../support/wait-for.js';
import { testSpec } from '../workflows/helpers/harness.js';
import { heldOutTraffic, startTraffic } from './live-traffic.js';

const TOKEN = `cluster-${randomUUID()}`;
const APPROVER = 'oncall@example.com';
const say = (line: string) => process.stdout.write(`[cluster rollout] ${line}\n`);

/**
 * The production topology of issue 10, every piece a process of its own on the cluster of
 * `npm run cluster` (Temporal server on PostgreSQL, MLflow registry, PostgreSQL serving
 * state): two `flywheel worker orchestration`, one `flywheel worker training`, two
 * `flywheel gateway` replicas. A drift alert sent to both replicas starts one cycle; it is
 * approved and canaried while live traffic goes to both replicas, and in the canary's bake
 * one orchestration worker and one gateway replica are SIGKILLed (the replica is restarted
 * and gets the alert again). The rollout still promotes, MLflow holds one version per cycle
 * with `champion` on the new one, both replicas' answers are in the log and in what the
 * rollout judged, and the flywheel got the alert once.
 */
describe('cluster: drift alert → cycle → approval → canary across processes, with kills', () => {
  let state: ClusterState;
  let dataDir: string;
  let connection: Connection;
  let flywheels: FlywheelClient;
  let processes: ClusterProcesses;
  const queues = {
    orchestration: `cl-orch-${randomUUID().slice(0, 8)}`,
    training: `cl-train-${randomUUID().slice(0, 8)}`,
  };

  beforeAll(async () => {
    state = await sharedCluster();
    dataDir = mkdtempSync(join(tmpdir(), 'ct-cluster-rollout-'));
    connection = await Connection.connect({ address: state.temporal.address });
    flywheels = new FlywheelClient(new Client({ connection, namespace: state.temporal.namespace }), {
      taskQueue: queues.orchestration,
      flywheelOptions: { trainingTaskQueue: queues.training },
    });
    processes = new ClusterProcesses({
      state,
      dataDir,
      webhookToken: TOKEN,
      env: { CT_ORCHESTRATION_TASK_QUEUE: queues.orchestration, CT_TRAINING_TASK_QUEUE: queues.training },
    });
  }, 400_000);
  afterAll(async () => {
    await processes?.killAll();
    await connection?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('promotes with one MLflow version per cycle while a worker and a replica are SIGKILLed; the alert is signalled once', async () => {
    const started = Date.now();
    const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    const model = `cl-${randomUUID().slice(0, 8)}`;
    // Real time: no debounce, a person approves each cycle, one 50 % canary step of a few seconds.
    const spec = testSpec(model, {
      gate: {
        primaryMetric: 'accuracy',
        minImprovement: 0,
        significance: { test: 'none' },
        absoluteFloors: { accuracy: 0.7 },
        maxPredictionLatencyP95Ms: 200,
      },
      approval: { mode: 'manual', approvers: [APPROVER], timeoutMs: '10m', onTimeout: 'reject' },
      rollout: {
        strategy: 'canary',
        steps: [{ weight: 50, bakeMs: '6s' }],
        guards: { minSamples: 20, maxErrorRate: 0.05, maxP95LatencyMs: 2000, maxAccuracyDrop: 0.2, minLabeled: 10 },
        thinTraffic: { maxExtensions: 10, onExhausted: 'rollback' },
      },
      trigger: { debounceMs: 0, cooldownMs: 0, floors: { drift: 0.3 } },
    });
    const orchestration = [processes.worker('orchestration'), processes.worker('orchestration')];
    processes.worker('training');
    const replicas: GatewayReplica[] = await Promise.all([
      freePort().then((port) => processes.gateway(port, 'gw-a')),
      freePort().then((port) => processes.gateway(port, 'gw-b')),
    ]);
    say(`5 processes up after ${elapsed()}`);

    // Cycle 1 serves the first model (no champion yet: served directly once approved).
    await flywheels.start(spec);
    await flywheels.signal(retrainRequestedSignal, model, { requestedBy: 'cluster e2e', force: true });
    expect(await approveAndFinish(1)).toMatchObject({ outcome: 'promoted', candidateVersion: 1 });
    say(`cycle 1 promoted after ${elapsed()}`);

    const rows = await heldOutTraffic(
      (await createDataSources({ snapshotRoot: join(dataDir, 'traffic') }).synthetic.snapshot({ spec })).path,
    );
    let serving = replicas.map((r) => r.url);
    const traffic = startTraffic(() => serving, model, rows, 30, 200);
    try {
      // The same notification (one firing drift alert) to both replicas at once: one of them signals it.
      const alert = oneFiringAlert(model);
      const first = await Promise.all(replicas.map((r) => postAlertmanager(r.url, TOKEN, alert)));
      expect(first.map((a) => a.status)).toEqual([202, 202]);
      expect(first.flatMap((a) => a.json.signalled)).toHaveLength(1);
      expect(first.flatMap((a) => a.json.duplicates)).toHaveLength(1);

      const cycle2 = approveAndFinish(2);
      const rolloutId = rolloutWorkflowId(cycleWorkflowId(model, 2));
      const rollout = flywheels.client.workflow.getHandle(rolloutId);
      await waitFor(async () => (await rollout.query(rolloutStatusQuery.definition)).bake?.kind === 'traffic', {
        describe: 'the canary bake',
        timeoutMs: 120_000,
        intervalMs: 200,
      });
      say(`canary baking after ${elapsed()}`);
      // Both replicas answer with the candidate before one of them dies.
      const b = replicas[1]!;
      await waitFor(() => (traffic.tally.byGateway.get(`${b.url} v2`) ?? 0) >= 3, {
        describe: 'replica gw-b to serve the canary',
        timeoutMs: 30_000,
      });
      await Promise.all([processes.kill(orchestration[0]!), processes.kill(b.child)]);
      serving = [replicas[0]!.url];
      say(`SIGKILLed an orchestration worker and gateway gw-b after ${elapsed()}`);

      const restarted = await processes.gateway(Number(new URL(b.url).port), 'gw-b');
      serving = [replicas[0]!.url, restarted.url];
      const again = await postAlertmanager(restarted.url, TOKEN, alert);
      expect(again).toMatchObject({ status: 202, json: { signalled: [] } });
      expect(again.json.duplicates).toHaveLength(1);
      say(`gw-b restarted and refused the alert again after ${elapsed()}`);

      const report = await cycle2;
      expect(report, report.reason).toMatchObject({ outcome: 'promoted', candidateVersion: 2 });
      say(`cycle 2 promoted after ${elapsed()}`);
      const result = (await rollout.result()) as RolloutResult;
      const judged = result.steps.filter((s) => s.metrics);
      // What the canary step judged includes answers of both replicas.
      expect(judged.at(-1)?.metrics?.servedBy, JSON.stringify(judged)).toEqual({
        'gw-a': expect.any(Number),
        'gw-b': expect.any(Number),
      });
    } finally {
      await traffic.stop();
    }
    expect(traffic.tally.byGateway.get(`${replicas[0]!.url} v2`)).toBeGreaterThan(0);

    // Both replicas' answers are in the shared prediction log.
    const log = await PostgresServingState.open({ url: state.servingStateUrl, migrate: false });
    try {
      const live = await log.readLiveMetrics({ modelId: model, fromMs: started, toMs: Date.now() + 1, servedBy: true });
      expect(live.servedBy).toEqual({ 'gw-a': expect.any(Number), 'gw-b': expect.any(Number) });
    } finally {
      await log.close();
    }

    // MLflow, asked directly: one version per cycle, `champion` on cycle 2's.
    const versions = await mlflow<{
      model_versions?: Array<{ version: string; tags?: { key: string; value: string }[] }>;
    }>('model-versions/search', { filter: `name='${model}'` });
    const cycleOf = (v: { tags?: { key: string; value: string }[] }) =>
      v.tags?.find((t) => t.key === 'ct.cycle_id')?.value;
    // The idempotency key is the cycle's workflow id and run id: one version per cycle run.
    expect((versions.model_versions ?? []).map((v) => [v.version, cycleOf(v)]).sort()).toEqual([
      ['1', expect.stringMatching(new RegExp(`^${cycleWorkflowId(model, 1)}@`))],
      ['2', expect.stringMatching(new RegExp(`^${cycleWorkflowId(model, 2)}@`))],
    ]);
    const champion = await mlflow<{ model_version: { version: string } }>('registered-models/alias', {
      name: model,
      alias: 'champion',
    });
    expect(champion.model_version.version).toBe('2');

    // The alert reached the flywheel once, through two replicas and a restart.
    const history = await flywheels.flywheel(model).fetchHistory();
    const drift = (history.events ?? []).filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === driftAlertSignal.name,
    );
    expect(drift).toHaveLength(1);
    const status = await flywheels.status(model);
    expect(status.cyclesStarted).toBe(2);
    expect(status.recentCycles.find((c) => c.cycle === 2)).toMatchObject({ trigger: 'drift', outcome: 'promoted' });
    say(`done after ${elapsed()}`);
    await flywheels.flywheel(model).terminate('cluster e2e done');

    /** Approves cycle n of the model when it asks and waits for its report. */
    async function approveAndFinish(n: number): Promise<CycleReport> {
      const cycle = flywheels.client.workflow.getHandle(cycleWorkflowId(model, n));
      await waitFor(async () => (await cycle.query(cycleStatusQuery.definition)).approval.pending, {
        describe: `cycle ${n} to ask for approval`,
        timeoutMs: 180_000,
        intervalMs: 250,
      });
      await flywheels.approve({ cycleId: cycleWorkflowId(model, n), by: APPROVER, comment: 'cluster e2e' });
      return (await cycle.result()) as CycleReport;
    }
  }, 400_000);

  /** GET from MLflow's REST API (`/api/2.0/mlflow/<path>`). */
  async function mlflow<T>(path: string, query: Record<string, string>): Promise<T> {
    const res = await fetch(`${state.mlflow.trackingUri}/api/2.0/mlflow/${path}?${new URLSearchParams(query)}`);
    if (!res.ok) throw new Error(`MLflow ${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  }
});

/** The recorded notification with only its first firing alert (PSI 0.31, above the spec's 0.3 floor). */
function oneFiringAlert(model: string): string {
  const notification = JSON.parse(fixtureForModel(model)) as { alerts: unknown[] };
  return JSON.stringify({ ...notification, alerts: notification.alerts.slice(0, 1) });
}
