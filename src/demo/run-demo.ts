/**
 * `npm run demo`: the whole continuous-training loop on this machine in a few minutes.
 * Local Temporal server → workers, gateway and alert webhook → a first champion on SEA
 * concept 1 → simulated traffic through the gateway → concept change + covariate shift →
 * the monitor signals the flywheel → retrain, gate, human approval, canary, promotion →
 * an HTML/PNG report comparing with a static model. See src/demo/README.md.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { destination, pino } from 'pino';
import type { ServingStateForGateway } from '../adapters/serving-state/index.js';
import { createGenerator } from '../adapters/data-sources/synthetic/index.js';
import { runMain } from '../config/fail-fast.js';
import { buildActivities } from '../workers/build-activities.js';
import { WorkerRole } from '../workers/activity-roles.js';
import { startWorkers } from '../workers/start-workers.js';
import { workerRunConfig } from '../workers/worker-config.js';
import { installRuntimeLogger } from '../logging/logger.js';
import { startProductionMonitor } from '../monitor/start-monitor.js';
import { reachable, startLocalServer } from '../local-server/start-local-server.js';
import { LOCAL_ADDRESS, LOCAL_UI_URL } from '../local-server/local-server-state.js';
import { approveCommand, approveWithCli } from './approve.js';
import { DEMO } from './demo-config.js';
import { FlywheelClient } from '../clients/flywheel-client.js';
import { DEMO_MODELS, demoModelFromArgs, demoSpec, FrozenModel, servedBy } from './demo-model.js';
import { advanceDataWindow, startFlywheelWithFirstModel, terminateStaleRuns, waitForCycle } from './demo-flywheel.js';
import { startDemoGateway } from './demo-gateway.js';
import { writeDemoReport, type DemoRun } from './demo-report.js';
import { createPrinter, heading } from './progress.js';
import { TimelineWatcher } from './timeline-watcher.js';
import { TrafficSimulator } from './traffic-simulator.js';
import { TrafficStream } from './traffic-stream.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

runMain(async () => {
  const demoStart = Date.now();
  const print = createPrinter(demoStart);
  installRuntimeLogger(
    pino({ name: 'demo', level: process.env.LOG_LEVEL ?? 'warn' }, destination({ fd: 2, sync: true })),
  );
  const stamp = new Date(demoStart).toISOString().replace(/[:.]/g, '-');
  const dataDir = path.join(ROOT, '.data', `demo-${stamp}`);
  const reportDir = path.join(ROOT, 'reports', `demo-${stamp}`);

  heading('1. Temporal server');
  const server = { address: LOCAL_ADDRESS, uiUrl: LOCAL_UI_URL.replace(/\/$/, '') };
  if (await reachable({ address: server.address, namespace: 'default' }))
    print(`using the Temporal server at ${server.address} (UI ${server.uiUrl})`);
  else {
    print(
      'no Temporal server on 127.0.0.1:7233: starting it with `npm run server` (first run provisions the Temporal CLI)',
    );
    await startLocalServer();
  }
  const client = new Client({
    connection: await Connection.connect({ address: server.address }),
    namespace: 'default',
  });
  const flywheels = new FlywheelClient(client);
  const model = demoModelFromArgs(process.argv.slice(2));
  if (model !== 'linear')
    print(`model ${model}: ${DEMO_MODELS[model].family} (first run creates the Python venv: a few minutes)`);
  const spec = await demoSpec(model);
  const stale = await terminateStaleRuns(flywheels, spec.id);
  if (stale.length)
    print(`terminated ${stale.length} workflow(s) left running by an earlier demo: ${stale.join(', ')}`);

  heading('2. Workers, gateway and alert webhook (in this process)');
  // The same adapters and workers as `flywheel up` (every flywheel workflow + the monitor), in this process.
  const { activities, registry, servingState } = buildActivities(dataDir);
  const native = await NativeConnection.connect({ address: server.address });
  const workers = await startWorkers({
    config: workerRunConfig('default'),
    deps: { connection: native, client, activities },
    roles: [WorkerRole.orchestration, WorkerRole.training],
  });
  const gateway = await startDemoGateway({ flywheels, registry, servingState, webhookToken: DEMO.webhookToken });
  print(
    `workers on ct-orchestration + ct-training; gateway ${gateway.url} (POST /v1/models/${spec.id}/predict, /feedback, GET /metrics); webhook ${gateway.url}/v1/alerts (bearer ${DEMO.webhookToken}); data in ${path.relative(ROOT, dataDir)}`,
  );

  const run: Partial<DemoRun> = { spec, model, server, reportDir, dataDir, links: [] };
  try {
    heading('3. First champion on concept 1 (flywheel cycle 1)');
    const flywheelId = await startFlywheelWithFirstModel(flywheels, spec);
    run.links!.push({ label: `flywheel ${flywheelId}`, workflowId: flywheelId });
    print(
      `started ${flywheelId} with a retrain request; waiting for cycle 1 (snapshot → validate → train → evaluate → register → serve)`,
    );
    const first = await waitForCycle(flywheels, spec.id, 1, 180_000);
    if (first.outcome !== 'promoted' || first.candidateVersion === undefined)
      throw new Error(`the first champion was not promoted: ${first.outcome} — ${first.reason}`);
    const champion = await registry.getVersion(spec.id, first.candidateVersion);
    const staticModel = await FrozenModel.open(registry, spec, champion.version);
    print(
      `v${champion.version} serves 100% (held-out accuracy ${((champion.lineage.metrics.heldOut.accuracy ?? 0) * 100).toFixed(1)}%); a frozen copy of it is the "no CT" baseline`,
    );
    print(await servedBy(registry, spec, model, champion.version));
    const { workflowId: monitorId } = await startProductionMonitor(flywheels, spec, DEMO.monitor);
    run.links!.push({ label: `monitor ${monitorId}`, workflowId: monitorId });
    print(
      `started ${monitorId}: every ${DEMO.monitor.intervalMs}, drift over ${DEMO.monitor.driftWindowMs}, accuracy over ${DEMO.monitor.performanceWindowMs} ending ${DEMO.monitor.labelLatencyMs} ago`,
    );

    heading(
      `4. Traffic: ${DEMO.ratePerSecond} req/s, labels ${DEMO.labelDelayMs / 1000} s later; concept change + f3 shift at ${DEMO.driftAtSecond} s`,
    );
    const stream = new TrafficStream(
      createGenerator(
        spec.dataSource.kind === 'synthetic'
          ? spec.dataSource
          : (() => {
              throw new Error('demo spec must be synthetic');
            })(),
      ),
      DEMO.trafficSeed,
      [
        { fromSecond: 0, conceptWindow: 0, label: 'concept 1' },
        {
          fromSecond: DEMO.driftAtSecond,
          conceptWindow: 1,
          shift: { ...DEMO.shift, to: [...DEMO.shift.to] },
          label: 'concept 2 + f3 shift',
        },
      ],
      spec.label.name,
    );
    let stopTimer: NodeJS.Timeout | undefined;
    const simulator: TrafficSimulator = new TrafficSimulator({
      gatewayUrl: gateway.url,
      modelId: spec.id,
      stream,
      ratePerSecond: DEMO.ratePerSecond,
      maxSeconds: DEMO.maxTrafficSeconds,
      labelDelayMs: DEMO.labelDelayMs,
      staticModel,
      bucketMs: DEMO.bucketMs,
      onSecond: (tick) => {
        if (tick.second === DEMO.driftAtSecond) {
          watcher.mark('conceptChange', simulator.startedAtMs + DEMO.driftAtSecond * 1000, 'concept change + f3 shift');
          print(`traffic  ⚡ concept change (f1 + f2 <= 8 → <= 11) and covariate shift (f3 → U[5, 10])`);
          void advanceDataWindow(flywheels, spec, 1).then(() =>
            print("data     window 1 (new concept, labelled) landed: the flywheel's next snapshot takes it"),
          );
        }
        if (tick.second % 5 === 4) {
          const share = Object.entries(tick.versionShare)
            .map(([v, s]) => `${v} ${(s * 100).toFixed(0)}%`)
            .join(' ');
          const acc = (a: typeof tick.ct) => (a ? `${(a.accuracy * 100).toFixed(1)}%` : '-');
          print(
            `traffic  t=${tick.second + 1}s ${tick.phase}: last 5 s served by ${share}; accuracy last 10 s CT ${acc(tick.ct)} | static ${acc(tick.static)}; sent ${tick.sent}, failed ${tick.failed}`,
          );
          simulator.resetShare();
        }
      },
    });
    const watcher: TimelineWatcher = new TimelineWatcher(
      { flywheels, servingState, modelId: spec.id, startedAtMs: simulator.startedAtMs, print },
      {
        onApprovalPending: (cycleId, candidate) => {
          run.links!.push({ label: `training cycle ${cycleId}`, workflowId: cycleId });
          const comment = `reviewed v${candidate ?? '?'}: gate passed on the new concept`;
          const args = approveCommand(spec.id, DEMO.approver, comment);
          print(`approval alice runs: flywheel ${args.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')}`);
          approveWithCli(server.address, args).then(
            (answer) => {
              watcher.mark('approval', Date.parse(answer.at), `approved by ${answer.by.split('@')[0]}`);
              print(`approval ✔ the workflow answered: ${answer.decision} by ${answer.by} at ${answer.at}`);
            },
            (error: Error) => print(`approval ✘ refused: ${error.message}`),
          );
        },
        onPromotion: (version, atMs) => {
          run.promotedAtMs = atMs - simulator.startedAtMs;
          run.promotedVersion = version;
          stopTimer = setTimeout(() => simulator.stop(), DEMO.afterPromotionSeconds * 1000);
        },
        onCycleFinished: (c) => {
          if (c.outcome !== 'promoted') stopTimer ??= setTimeout(() => simulator.stop(), 15_000);
        },
      },
    );
    watcher.start();
    const traffic = await simulator.run();
    watcher.stop();
    clearTimeout(stopTimer);
    const served = [champion.version, ...(run.promotedVersion === undefined ? [] : [run.promotedVersion])];
    Object.assign(run, {
      traffic,
      markers: watcher.markers,
      driftAtMs: DEMO.driftAtSecond * 1000,
      servedBy: await Promise.all(served.map((v) => servedBy(registry, spec, model, v))),
    });

    print(
      `acceptance (issue 11): driftAlert naming f3 signalled to the flywheel after the promotion: ${watcher.f3AlertsAfterPromotion} (want 0); drift alerts the flywheel judged benign or stale: ${watcher.benignOrStale}`,
    );
    heading('5. Report');
    const written = await writeDemoReport(run as DemoRun, print);
    process.exitCode = written.accepted ? 0 : 2;
  } finally {
    await shutdown(flywheels, spec.id, { workers, gateway, servingState }, print);
    registry.close();
    await native.close();
  }
});

async function shutdown(
  flywheels: FlywheelClient,
  modelId: string,
  parts: {
    workers: { stop(): Promise<void> };
    gateway: { app: { close(): Promise<unknown> } };
    servingState: ServingStateForGateway;
  },
  print: (line: string) => void,
): Promise<void> {
  heading('6. Shutdown');
  // The flywheel and monitor would keep timers for workers that are gone: end them (their histories stay in the UI).
  if (!process.argv.includes('--keep-running')) {
    const ended = await terminateStaleRuns(flywheels, modelId, 'demo finished').catch(() => []);
    print(`terminated ${ended.join(', ') || 'nothing'} ("demo finished"); run with --keep-running to leave them`);
  }
  await parts.gateway.app.close();
  await parts.workers.stop();
  await parts.servingState.close();
  await flywheels.client.connection.close();
  print('gateway, webhook and workers stopped. The Temporal server keeps running: `npm run server:stop` stops it.');
}
