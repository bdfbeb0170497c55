import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/domain/flywheel/cycle-report.js';
import { FlywheelClient } from '../../src/clients/flywheel-client.js';
import { buildActivities } from '../../src/workers/build-activities.js';
import { driftAlertSignal, statusQuery } from '../../src/contracts/model-flywheel.js';
import { cycleWorkflowId } from '../../src/contracts/training-cycle.js';
import { startDedicatedDevServer } from '../support/dev-server-env.js';
import { uniqueId } from '../support/smoke-worker.js';
import { startTestWorkers } from '../support/test-workers.js';
import { bundleWorkflows } from '../workflows/helpers/bundle.js';
import { testSpec } from '../workflows/helpers/harness.js';
import { waitFor } from '../workflows/helpers/wait-for.js';

// The Java time-skipping server never sets continueAsNewSuggested, so this runs on a
// dedicated dev server whose suggestion threshold is lowered to 40 events.
let server: Awaited<ReturnType<typeof startDedicatedDevServer>>;
let native: NativeConnection;
let connection: Connection;
let client: Client;
let bundle: WorkflowBundleWithSourceMap;
let dir: string;
let built: ReturnType<typeof buildActivities>;

beforeAll(async () => {
  server = await startDedicatedDevServer({ 'limit.historyCount.suggestContinueAsNew': 40 });
  native = await NativeConnection.connect({ address: server.address });
  connection = await Connection.connect({ address: server.address });
  client = new Client({ connection, namespace: server.namespace });
  bundle = await bundleWorkflows();
  dir = mkdtempSync(join(tmpdir(), 'ct-can-'));
  built = buildActivities(dir);
});
afterAll(async () => {
  await built?.close();
  await connection?.close();
  await native?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('continue-as-new', () => {
  it('200 alerts over many cycles and runs (continue-as-new): no trigger lost, none counted twice', async () => {
    const modelId = uniqueId('can').toLowerCase();
    const spec = testSpec(modelId, {
      rollout: { strategy: 'direct' },
      trigger: { debounceMs: 0, cooldownMs: 0, budget: { maxCycles: 1000, windowMs: '1d' } },
    });
    const taskQueue = uniqueId('can-orch');
    const trainingTaskQueue = uniqueId('can-train');
    const workers = await startTestWorkers(
      { nativeConnection: native, namespace: server.namespace },
      { taskQueue, trainingTaskQueue, bundle, activities: built.activities, client },
    );
    await workers.runUntil(async () => {
      const flywheel = await new FlywheelClient(client, { taskQueue, flywheelOptions: { trainingTaskQueue } }).start(
        spec,
      );
      const firstRunId = flywheel.signaledRunId;
      // 20 bursts of 10 alerts, interleaved with the cycles they cause.
      for (let burst = 0; burst < 20; burst++) {
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            flywheel.signal(driftAlertSignal.definition, { score: 0.5, source: `b${burst}-a${i}` }),
          ),
        );
        await new Promise((r) => setTimeout(r, 250));
      }
      const latest = client.workflow.getHandle(flywheel.workflowId);
      const status = await waitFor(
        async () => {
          const s = await latest.query(statusQuery.definition);
          // cycleDue: the last cycle may be decided in a run that then continues as new; the
          // query can be answered by that closed run before the next run starts the cycle.
          return (
            s.inFlight === null && s.cycleDue === null && s.pending === null && s.triggerCounts.received === 200 && s
          );
        },
        'every alert to be handled',
        170_000,
      );
      // Alerts that name no version and arrive while a cycle runs predate the champion it
      // promotes: at the promotion they are dropped as stale (issue 11), counted, not lost.
      const { stale = 0, ...counts } = status.triggerCounts;
      expect(counts).toEqual({ received: 200, ignored: 0, accepted: 200 });
      let total = 0;
      for (let n = 1; n <= status.cyclesStarted; n++) {
        const r: CycleReport = await client.workflow.getHandle(cycleWorkflowId(modelId, n)).result();
        total += r.trigger.count;
      }
      expect(total + stale).toBe(200);
      expect(status.cyclesStarted).toBeGreaterThan(1);
      const d = await latest.describe();
      expect(d.runId).not.toBe(firstRunId); // it continued as new at least once…
      expect(d.historyLength).toBeLessThan(400); // …and history stayed bounded
      const runs = await waitFor(async () => {
        let n = 0;
        for await (const _ of client.workflow.list({ query: `WorkflowId = "${flywheel.workflowId}"` })) n++;
        return n > 1 && n;
      }, 'the runs to be listed');
      process.stdout.write(
        `[continue-as-new] ${status.cyclesStarted} cycles for 200 alerts over ${runs} runs; latest run history ${d.historyLength} events\n`,
      );
      await latest.terminate('test done');
    });
  });
});
