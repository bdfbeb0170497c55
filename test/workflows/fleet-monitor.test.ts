import { describe, expect, it } from 'vitest';
import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import { fleetShardStatusQuery, registerMonitoredModelSignal } from '../../src/contracts/fleet-monitor.js';
import { flywheelWorkflowId, MODEL_FLYWHEEL_WORKFLOW } from '../../src/contracts/model-flywheel.js';
import { startProductionMonitor } from '../../src/monitor/start-monitor.js';
import { logTraffic, monitoredSpec, serveChampion } from '../support/served-champion.js';
import { uniqueId } from '../support/smoke-worker.js';
import { recordHistory } from './helpers/record-history.js';
import { useHarness } from './helpers/use-harness.js';

const ctx = useHarness();

describe('fleet monitor shard (time-skipping)', () => {
  it('sweeps its models on their own intervals, signals only the drifted one once, and keeps only news in history', async () => {
    const quiet = uniqueId('fleet-quiet').toLowerCase();
    const drifted = uniqueId('fleet-drift').toLowerCase();
    const store = { dir: ctx.h.dir, registry: ctx.h.registry, servingState: ctx.h.serving };
    await serveChampion(store, quiet, 0.9);
    const v = await serveChampion(store, drifted, 0.9);
    await logTraffic(ctx.h.serving, drifted, v, { rows: 1200, shifted: true, accuracy: 0.9 });
    const flywheels = new FlywheelClient(ctx.env.client, { taskQueue: ctx.h.taskQueue, monitorShards: 1 });
    const shardId = flywheels.monitorShardId(quiet);
    await ctx.h.run(async () => {
      await ctx.env.client.workflow.start(MODEL_FLYWHEEL_WORKFLOW, {
        workflowId: flywheelWorkflowId(drifted),
        taskQueue: ctx.h.taskQueue,
        args: [{ modelId: drifted }],
      });
      await startProductionMonitor(flywheels, monitoredSpec(quiet), { intervalMs: '5m' });
      await startProductionMonitor(flywheels, monitoredSpec(drifted), { intervalMs: '10m' });
      // A malformed registration is dropped and counted, never fails the shard.
      await ctx.env.client.workflow
        .getHandle(shardId)
        .signal(registerMonitoredModelSignal.name, { modelId: 'Bad Id!' });
      await ctx.env.sleep('31m');

      const q = await flywheels.monitorFindings(quiet);
      const d = await flywheels.monitorFindings(drifted);
      // At once on registration, then every 5 min (6 boundaries in 31 min) and every 10 min (3).
      expect(q.checks).toBeGreaterThanOrEqual(6);
      expect(d.checks).toBeGreaterThanOrEqual(3);
      expect(d.checks).toBeLessThan(q.checks);
      expect(q.lastFinding?.drift?.status).toBe('insufficientData');
      expect(q.recent).toHaveLength(1);
      expect(q.signalsSent).toEqual({ driftAlert: 0, performanceReport: 0 });
      // Signalled once; resignalAfterMs (1 h) keeps the persistent drift from repeating.
      expect(d.signalsSent).toEqual({ driftAlert: 1, performanceReport: 0 });
      expect(d.recent.map((f) => f.signals.length)).toEqual([1, 0]);
      const shard = await ctx.env.client.workflow.getHandle(shardId).query(fleetShardStatusQuery.definition);
      expect(shard).toMatchObject({ models: 2, failedSweeps: 0, rejectedInputs: 1 });

      await flywheels.updateMonitorSettings(quiet, { settings: { intervalMs: '1h' } });
      expect(await flywheels.stopMonitor(drifted)).toEqual({ workflowId: shardId, wasRunning: true });
      await ctx.env.sleep('2h');
      const after = await flywheels.monitorFindings(quiet);
      expect(after.settings.intervalMs).toBe(3_600_000);
      // The update re-checks at once; then the hourly boundaries of 2 h.
      expect(after.checks - q.checks).toBeGreaterThanOrEqual(2);
      expect(after.checks - q.checks).toBeLessThanOrEqual(4);
      expect(await flywheels.shardModelStatus(drifted)).toBeNull();
      await recordHistory(ctx.env.client, shardId, 'fleet-monitor-sweeps');
      await ctx.env.client.workflow.getHandle(shardId).terminate('test done');
      await ctx.env.client.workflow.getHandle(flywheelWorkflowId(drifted)).terminate('test done');
    });
  });
});
