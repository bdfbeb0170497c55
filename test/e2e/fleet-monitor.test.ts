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
import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import { flywheelWorkflowId, MODEL_FLYWHEEL_WORKFLOW } from '../../src/contracts/model-flywheel.js';
import {
  findingsQuery,
  monitorWorkflowId,
  PRODUCTION_MONITOR_WORKFLOW,
} from '../../src/contracts/production-monitor.js';
import { fleetShardStatusQuery } from '../../src/contracts/fleet-monitor.js';
import { startProductionMonitor } from '../../src/monitor/start-monitor.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { logTraffic, monitoredSpec, serveChampion, type ServedChampionStore } from '../support/served-champion.js';
import { startTestWorkers } from '../support/test-workers.js';
import { bundleWorkflows } from '../workflows/helpers/bundle.js';

const WORKFLOWS = fileURLToPath(new URL('./monitor-workflows.ts', import.meta.url));
const INTERVAL_MS = 5_000;

/**
 * The fleet monitor on the dev server, over a real registry, SQLite prediction log and
 * reference profiles, signalling real flywheels: one shard watches several models, signals
 * only the one that drifts, within one check interval of the drift, and keeps per-model
 * settings, checkNow and findings.
 */
describe('fleet monitor (dev server)', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;
  let store: ServedChampionStore;
  const started: string[] = [];

  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fleet-monitor-e2e-'));
    store = {
      dir,
      registry: new LocalModelRegistry({ root: path.join(dir, 'registry') }),
      servingState: new SqliteServingState({ path: path.join(dir, 'serving.db') }),
    };
    [env, bundle] = await Promise.all([devServerEnv(), bundleWorkflows(WORKFLOWS)]);
  });
  afterAll(async () => {
    for (const id of started)
      await env.client.workflow
        .getHandle(id)
        .terminate('fleet monitor e2e done')
        .catch(() => undefined);
    await env?.teardown();
    await store?.servingState.close();
    if (store?.dir) await rm(store.dir, { recursive: true, force: true });
  });

  async function fleet(modelIds: string[]) {
    const taskQueue = `fleet-e2e-${randomUUID().slice(0, 8)}`;
    const worker = await startTestWorkers(env, {
      taskQueue,
      bundle,
      activities: createMonitorActivities({ ...store, snapshotRoot: path.join(store.dir, 'snapshots') }),
      client: env.client,
    });
    // One shard: every model shares its sweeps, as most models of a real fleet share theirs.
    const flywheels = new FlywheelClient(env.client, { taskQueue, monitorShards: 1 });
    const versions = new Map<string, number>();
    for (const modelId of modelIds) {
      versions.set(modelId, await serveChampion(store, modelId, 0.9));
      started.push(flywheelWorkflowId(modelId));
    }
    started.push(flywheels.monitorShardId(modelIds[0]!));
    return { worker, taskQueue, flywheels, versions };
  }

  it('signals only the drifted model, within one interval of the drift', async () => {
    const ids = ['a', 'b', 'c'].map((k) => `fleet-${k}-${randomUUID().slice(0, 6)}`);
    const [healthyA, healthyB, drifting] = ids as [string, string, string];
    const { worker, taskQueue, flywheels, versions } = await fleet(ids);
    for (const id of ids)
      await logTraffic(store.servingState, id, versions.get(id)!, { rows: 800, shifted: false, accuracy: 0.9 });
    await worker.runUntil(async () => {
      for (const modelId of ids) {
        // Flywheels without a spec record the triggers they get, which is what we check.
        await env.client.workflow.start(MODEL_FLYWHEEL_WORKFLOW, {
          workflowId: flywheelWorkflowId(modelId),
          taskQueue,
          args: [{ modelId }],
        });
        await startProductionMonitor(flywheels, monitoredSpec(modelId), {
          intervalMs: INTERVAL_MS,
          driftWindowMs: '60s',
          labelLatencyMs: '1h',
        });
      }
      // Registration checks each model at once; after that every check is on the shared 5 s boundaries.
      for (const id of ids)
        await expect
          .poll(async () => (await flywheels.shardModelStatus(id))?.checks, { timeout: 30_000 })
          .toBeGreaterThanOrEqual(1);
      expect((await flywheels.monitorFindings(drifting)).lastFinding?.drift?.status).toBe('stable');

      const driftedAt = Date.now();
      await logTraffic(store.servingState, drifting, versions.get(drifting)!, {
        rows: 1500,
        shifted: true,
        accuracy: 0.9,
      });
      await expect
        .poll(async () => (await flywheels.status(drifting)).pending?.kinds, {
          timeout: 3 * INTERVAL_MS,
          interval: 100,
        })
        .toEqual(['drift']);
      const seenAt = Date.now();
      const status = await flywheels.monitorFindings(drifting);
      const signalled = status.recent.find((f) => f.signals.length > 0);
      expect(signalled?.drift).toMatchObject({ status: 'drifted', driftedFeatures: ['f3'] });
      // The check that found it ran at the first boundary after the drift: within one interval.
      expect(signalled!.atMs - driftedAt).toBeLessThanOrEqual(INTERVAL_MS + 1_000);
      expect(seenAt - driftedAt).toBeLessThanOrEqual(INTERVAL_MS + 3_000);
      expect(status.signalsSent).toEqual({ driftAlert: 1, performanceReport: 0 });

      // The healthy ones were checked just as often, signalled nothing, and kept one finding each (no news since).
      for (const id of [healthyA, healthyB]) {
        const healthy = await flywheels.monitorFindings(id);
        expect(healthy.checks).toBeGreaterThanOrEqual(2);
        expect(healthy.signalsSent).toEqual({ driftAlert: 0, performanceReport: 0 });
        expect(healthy.recent).toHaveLength(1);
        expect((await flywheels.status(id)).pending).toBeNull();
      }
      const shard = await env.client.workflow
        .getHandle(flywheels.monitorShardId(drifting))
        .query(fleetShardStatusQuery.definition);
      expect(shard).toMatchObject({ models: 3, failedSweeps: 0, rejectedInputs: 0 });
    });
  });

  it('migrates a per-model monitor, honours checkNow and per-model settings, and stops watching on stopMonitor', async () => {
    const modelId = `fleet-m-${randomUUID().slice(0, 6)}`;
    const { worker, taskQueue, flywheels, versions } = await fleet([modelId]);
    await logTraffic(store.servingState, modelId, versions.get(modelId)!, { rows: 600, shifted: true, accuracy: 0.9 });
    started.push(monitorWorkflowId(modelId));
    await worker.runUntil(async () => {
      await env.client.workflow.start(MODEL_FLYWHEEL_WORKFLOW, {
        workflowId: flywheelWorkflowId(modelId),
        taskQueue,
        args: [{ modelId }],
      });
      const legacy = await env.client.workflow.start(PRODUCTION_MONITOR_WORKFLOW, {
        workflowId: monitorWorkflowId(modelId),
        taskQueue,
        args: [
          {
            modelId,
            floors: { drift: 0.3, performance: 0.02 },
            settings: { intervalMs: '1h', driftWindowMs: '60s', labelLatencyMs: '1h' },
          },
        ],
      });
      await expect
        .poll(async () => (await legacy.query(findingsQuery.definition)).signalsSent.driftAlert, { timeout: 30_000 })
        .toBe(1);

      const moved = await startProductionMonitor(flywheels, monitoredSpec(modelId));
      expect(moved).toEqual({
        workflowId: flywheels.monitorShardId(modelId),
        migratedFrom: monitorWorkflowId(modelId),
      });
      expect((await legacy.describe()).status.name).toBe('TERMINATED');
      await expect.poll(async () => (await flywheels.shardModelStatus(modelId))?.checks, { timeout: 30_000 }).toBe(1);
      const after = await flywheels.monitorFindings(modelId);
      // The legacy monitor's settings, floors and signal time came along: no second alert within resignalAfterMs.
      expect(after.settings.intervalMs).toBe(3_600_000);
      expect(after.signalsSent).toEqual({ driftAlert: 1, performanceReport: 0 });
      expect(after.lastFinding?.drift?.status).toBe('drifted');
      expect(after.lastFinding?.signals).toEqual([]);

      await flywheels.checkNow(modelId);
      await expect.poll(async () => (await flywheels.shardModelStatus(modelId))?.checks, { timeout: 30_000 }).toBe(2);
      await flywheels.updateMonitorSettings(modelId, { settings: { minDriftRows: 5_000 } });
      await expect
        .poll(async () => (await flywheels.monitorFindings(modelId)).lastFinding?.drift?.status, { timeout: 30_000 })
        .toBe('insufficientData');
      expect((await flywheels.monitorFindings(modelId)).settings).toMatchObject({
        intervalMs: 3_600_000,
        minDriftRows: 5_000,
      });

      expect(await flywheels.stopMonitor(modelId)).toEqual({
        workflowId: flywheels.monitorShardId(modelId),
        wasRunning: true,
      });
      await expect.poll(() => flywheels.shardModelStatus(modelId), { timeout: 10_000 }).toBeNull();
    });
  });
});
