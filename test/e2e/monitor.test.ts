import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitorActivities } from '../../src/activities/monitor-activities.js';
import { LocalModelRegistry } from '../../src/adapters/registry/index.js';
import { SqliteServingState } from '../../src/adapters/serving-state/index.js';
import { parseModelSpec } from '../../src/domain/model-spec/index.js';
import { startProductionMonitor } from '../../src/monitor/start-monitor.js';
import { flywheelWorkflowId, MODEL_FLYWHEEL_WORKFLOW, statusQuery } from '../../src/contracts/model-flywheel.js';
import {
  findingsQuery,
  monitorWorkflowId,
  PRODUCTION_MONITOR_WORKFLOW,
} from '../../src/contracts/production-monitor.js';
import { devServerEnv } from '../support/dev-server-env.js';
import {
  logTraffic as logTrafficTo,
  monitoredSpec,
  serveChampion as serveChampionIn,
} from '../support/served-champion.js';
import { startTestWorkers } from '../support/test-workers.js';
import { bundleWorkflows } from '../workflows/helpers/bundle.js';

const WORKFLOWS = fileURLToPath(new URL('./monitor-workflows.ts', import.meta.url));

const specFor = monitoredSpec;

/**
 * The monitor on the dev server over a real registry, a real SQLite prediction log and a
 * real reference profile: it must find the drift and the accuracy drop that we log, and
 * deliver both to the model's (real) flywheel as signals.
 */
describe('production monitor (dev server)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let dir: string;
  let registry: LocalModelRegistry;
  let servingState: SqliteServingState;
  const started: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'monitor-e2e-'));
    registry = new LocalModelRegistry({ root: path.join(dir, 'registry') });
    servingState = new SqliteServingState({ path: path.join(dir, 'serving.db') });
    [env, bundle] = await Promise.all([devServerEnv(), bundleWorkflows(WORKFLOWS)]);
  });
  afterAll(async () => {
    for (const id of started)
      await env.client.workflow
        .getHandle(id)
        .terminate('monitor e2e done')
        .catch(() => undefined);
    await env?.teardown();
    await servingState?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const serveChampion = (modelId: string, baseline: number) =>
    serveChampionIn({ dir, registry, servingState }, modelId, baseline);
  const logTraffic = (modelId: string, version: number, opts: { rows: number; shifted: boolean; accuracy: number }) =>
    logTrafficTo(servingState, modelId, version, opts);

  async function monitorWorker() {
    const taskQueue = `monitor-e2e-${randomUUID().slice(0, 8)}`;
    const worker = await startTestWorkers(env, {
      taskQueue,
      bundle,
      activities: createMonitorActivities({ servingState, registry, snapshotRoot: path.join(dir, 'snapshots') }),
      // The fleet monitor's sweep signals and reads its shard as a client.
      client: env.client,
    });
    return { worker, taskQueue };
  }

  it('finds drift and an accuracy drop in the prediction log and signals the flywheel with both', async () => {
    const modelId = `mon-${randomUUID().slice(0, 8)}`;
    const version = await serveChampion(modelId, 0.9);
    await logTraffic(modelId, version, { rows: 1200, shifted: true, accuracy: 0.65 });
    const { worker, taskQueue } = await monitorWorker();
    const flywheelId = flywheelWorkflowId(modelId);
    const monitorId = monitorWorkflowId(modelId);
    started.push(flywheelId, monitorId);
    await worker.runUntil(async () => {
      // A flywheel without a spec records the triggers it gets, which is what we check.
      await env.client.workflow.start(MODEL_FLYWHEEL_WORKFLOW, {
        workflowId: flywheelId,
        taskQueue,
        args: [{ modelId }],
      });
      const monitor = await env.client.workflow.start(PRODUCTION_MONITOR_WORKFLOW, {
        workflowId: monitorId,
        taskQueue,
        args: [
          {
            modelId,
            floors: { drift: 0.3, performance: 0.02 },
            settings: { intervalMs: '1h', driftWindowMs: '60s', performanceWindowMs: '60s', labelLatencyMs: '2s' },
          },
        ],
      });
      await expect
        .poll(async () => (await monitor.query(findingsQuery.definition)).checks, { timeout: 30_000 })
        .toBe(1);
      const { lastFinding } = await monitor.query(findingsQuery.definition);
      expect(lastFinding?.drift).toMatchObject({ status: 'drifted', driftedFeatures: ['f3'] });
      expect(lastFinding?.performance?.status).toBe('degraded');
      expect(lastFinding?.performance?.baseline).toBe(0.9);
      expect(lastFinding?.performance?.accuracy).toBeCloseTo(0.65, 1);
      // The check is counted when its finding is recorded; the signals go out right after it.
      await expect
        .poll(async () => (await monitor.query(findingsQuery.definition)).signalsSent, { timeout: 20_000 })
        .toEqual({ driftAlert: 1, performanceReport: 1 });

      const flywheel = env.client.workflow.getHandle(flywheelId);
      await expect
        .poll(async () => (await flywheel.query(statusQuery.definition)).pending?.kinds.sort(), { timeout: 20_000 })
        .toEqual(['drift', 'performance']);
      const memo = (await monitor.describe()).memo as { lastFinding?: string };
      expect(memo.lastFinding).toContain('drift drifted');
    });
  });

  it("applies the spec's validation.drift settings when started from the spec: f3 by PSI, at a threshold the shift does not reach", async () => {
    const modelId = `mon-${randomUUID().slice(0, 8)}`;
    const version = await serveChampion(modelId, 0.9);
    await logTraffic(modelId, version, { rows: 1200, shifted: true, accuracy: 0.9 });
    const { worker, taskQueue } = await monitorWorker();
    const spec = parseModelSpec({
      ...specFor(modelId),
      validation: { drift: { methods: { f3: 'psi' }, psiThreshold: 50 } },
    });
    await worker.runUntil(async () => {
      const flywheels = new FlywheelClient(env.client, { taskQueue });
      const { workflowId } = await startProductionMonitor(flywheels, spec, {
        intervalMs: '1h',
        driftWindowMs: '60s',
        labelLatencyMs: '1h',
      });
      started.push(workflowId);
      await expect.poll(async () => (await flywheels.shardModelStatus(modelId))?.checks, { timeout: 30_000 }).toBe(1);
      const { lastFinding } = await flywheels.monitorFindings(modelId);
      const f3 = lastFinding?.drift?.features.find((f) => f.feature === 'f3');
      // The same shifted window drifts on f3 under the default selection (first test); here PSI < 50.
      expect(f3).toMatchObject({ test: 'psi', drifted: false });
      expect(f3?.statistic).toBeGreaterThan(0.2);
      expect(lastFinding?.drift?.status).toBe('stable');
    });
  });

  it('stays quiet on a healthy model and does not judge predictions whose labels are not due yet', async () => {
    const modelId = `mon-${randomUUID().slice(0, 8)}`;
    const version = await serveChampion(modelId, 0.9);
    await logTraffic(modelId, version, { rows: 1200, shifted: false, accuracy: 0.9 });
    const { worker, taskQueue } = await monitorWorker();
    const monitorId = monitorWorkflowId(modelId);
    started.push(monitorId);
    await worker.runUntil(async () => {
      const monitor = await env.client.workflow.start(PRODUCTION_MONITOR_WORKFLOW, {
        workflowId: monitorId,
        taskQueue,
        // Labels take 1 h here: all logged predictions are younger, so no performance verdict yet.
        args: [
          {
            modelId,
            floors: { drift: 0.3, performance: 0.02 },
            settings: { intervalMs: '1h', driftWindowMs: '60s', labelLatencyMs: '1h' },
          },
        ],
      });
      await expect
        .poll(async () => (await monitor.query(findingsQuery.definition)).checks, { timeout: 30_000 })
        .toBe(1);
      const { lastFinding, signalsSent } = await monitor.query(findingsQuery.definition);
      expect(lastFinding?.drift?.status).toBe('stable');
      expect(lastFinding?.performance).toMatchObject({ status: 'insufficientLabels', labeledCount: 0 });
      expect(signalsSent).toEqual({ driftAlert: 0, performanceReport: 0 });
    });
  });
  it('continues as new every checksPerRun checks, carrying its findings and signal times', async () => {
    const modelId = `mon-${randomUUID().slice(0, 8)}`;
    const version = await serveChampion(modelId, 0.9);
    await logTraffic(modelId, version, { rows: 600, shifted: true, accuracy: 0.9 });
    const { worker, taskQueue } = await monitorWorker();
    const monitorId = monitorWorkflowId(modelId);
    started.push(monitorId, flywheelWorkflowId(modelId));
    await worker.runUntil(async () => {
      await env.client.workflow.start(MODEL_FLYWHEEL_WORKFLOW, {
        workflowId: flywheelWorkflowId(modelId),
        taskQueue,
        args: [{ modelId }],
      });
      const monitor = await env.client.workflow.start(PRODUCTION_MONITOR_WORKFLOW, {
        workflowId: monitorId,
        taskQueue,
        args: [
          {
            modelId,
            floors: { drift: 0.3, performance: 0.02 },
            settings: { intervalMs: '300ms', driftWindowMs: '60s', labelLatencyMs: '1h', checksPerRun: 2 },
          },
        ],
      });
      const firstRun = monitor.firstExecutionRunId;
      const latest = env.client.workflow.getHandle(monitorId);
      await expect
        .poll(async () => (await latest.query(findingsQuery.definition)).checks, { timeout: 30_000, interval: 200 })
        .toBeGreaterThanOrEqual(5);
      expect((await latest.describe()).runId).not.toBe(firstRun);
      const status = await latest.query(findingsQuery.definition);
      // One drift signal in the first run; the carried signal time keeps later runs quiet (resignalAfterMs 1h).
      expect(status.signalsSent.driftAlert).toBe(1);
      expect(status.lastSignals.driftAlert).toBeTypeOf('number');
      expect(status.recent.length).toBeGreaterThanOrEqual(5);
    });
  });
  it('keeps watching when the flywheel is not running, saying the signal was not delivered', async () => {
    const modelId = `mon-${randomUUID().slice(0, 8)}`;
    const version = await serveChampion(modelId, 0.9);
    await logTraffic(modelId, version, { rows: 600, shifted: true, accuracy: 0.9 });
    const { worker, taskQueue } = await monitorWorker();
    const monitorId = monitorWorkflowId(modelId);
    started.push(monitorId);
    await worker.runUntil(async () => {
      const monitor = await env.client.workflow.start(PRODUCTION_MONITOR_WORKFLOW, {
        workflowId: monitorId,
        taskQueue,
        args: [
          {
            modelId,
            floors: { drift: 0.3, performance: 0.02 },
            settings: { intervalMs: '300ms', driftWindowMs: '60s', labelLatencyMs: '1h' },
          },
        ],
      });
      await expect
        .poll(async () => (await monitor.query(findingsQuery.definition)).checks, { timeout: 30_000, interval: 200 })
        .toBeGreaterThanOrEqual(2);
      const status = await monitor.query(findingsQuery.definition);
      expect(status.signalsSent.driftAlert).toBe(0);
      // The first finding: a second check has run, so its delivery attempt has finished (the last one
      // may still be in flight when the query is answered).
      expect(status.recent[0]?.summary).toMatch(/driftAlert not delivered/);
      expect((await monitor.describe()).status.name).toBe('RUNNING');
    });
  });
});
