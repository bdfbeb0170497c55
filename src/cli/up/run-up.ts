import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { alertWebhook, TemporalAlertSink } from '../../alerts/index.js';
import { FlywheelClient } from '../../clients/flywheel-client.js';
import { clientConnectionOptions, workerConnectionOptions } from '../../config/connect.js';
import { installRuntimeLogger, logger } from '../../logging/logger.js';
import { createGateway } from '../../serving/index.js';
import { WorkerRole } from '../../workers/activity-roles.js';
import { buildActivities } from '../../workers/build-activities.js';
import { startWorkers } from '../../workers/start-workers.js';
import { workerConfigFromEnv } from '../../workers/worker-config.js';
import { DATA_DIR_ENV, workflowLink, type CliContext } from '../cli-context.js';
import { unreachable } from '../cli-errors.js';
import { note, out } from '../format/output.js';
import { LOCAL_DEFAULT_ADDRESS, reachable, startLocalServer } from './local-server.js';
import { flywheelSpecSource } from './flywheel-spec-source.js';

export interface UpOptions {
  host: string;
  port: number;
  webhookToken?: string;
  webhookHmacSecret?: string;
  /** Window for an HMAC-signed request's timestamp (the webhook's default when omitted). */
  hmacToleranceSeconds?: number;
  server: boolean;
}

/**
 * `flywheel up`: the local server if needed, then both workers, the gateway and the alert
 * webhook in this process, until SIGINT/SIGTERM, which drains and closes everything.
 */
export async function runUp(ctx: CliContext, o: UpOptions): Promise<void> {
  if (!(await reachable(ctx.config))) {
    if (!o.server || ctx.config.address !== LOCAL_DEFAULT_ADDRESS) throw unreachable(ctx.config.address, new Error('no answer'));
    note(`no Temporal server at ${ctx.config.address}: starting the local one (npm run server)...`);
    await startLocalServer();
  }
  installRuntimeLogger(logger);
  // Worker tuning and queue names from the same CT_* variables as the standalone workers; the connection and data dir from our flags.
  const config = { ...workerConfigFromEnv({ ...process.env, [DATA_DIR_ENV]: ctx.dataDir }), connection: ctx.config };
  const { activities, registry, servingState } = buildActivities(config.dataDir);
  const native = await NativeConnection.connect(workerConnectionOptions(ctx.config));
  const connection = await Connection.connect(clientConnectionOptions(ctx.config));
  const client = new Client({ connection, namespace: ctx.config.namespace });
  // Flywheels an alert starts run on our queues, their cycles training where our training worker polls.
  const flywheels = new FlywheelClient(client, { taskQueue: config.orchestrationTaskQueue, flywheelOptions: { trainingTaskQueue: config.trainingTaskQueue } });
  note('bundling workflows and starting workers...');
  const workers = await startWorkers({ config, deps: { connection: native, client, activities }, roles: [WorkerRole.orchestration, WorkerRole.training] });
  const token = o.webhookToken ?? (o.webhookHmacSecret ? undefined : randomBytes(18).toString('base64url'));
  // Requests are checked against each model's spec as its flywheel holds it.
  const app = createGateway({ registry, routing: servingState, predictionLog: servingState, loadFailures: servingState, specs: flywheelSpecSource(flywheels), logger: logger.child({ component: 'gateway' }) });
  await app.register(alertWebhook, { sink: new TemporalAlertSink(flywheels), auth: { ...(token ? { bearerToken: token } : {}), ...(o.webhookHmacSecret ? { hmacSecret: o.webhookHmacSecret, ...(o.hmacToleranceSeconds ? { hmacToleranceSeconds: o.hmacToleranceSeconds } : {}) } : {}) } });
  const url = await app.listen({ host: o.host, port: o.port });

  out(`temporal:  ${ctx.config.address} (namespace ${ctx.config.namespace})`);
  if (ctx.uiUrl) out(`ui:        ${workflowLink(ctx, '')?.replace(/\/$/, '') ?? ctx.uiUrl}`);
  out(`workers:   ${config.orchestrationTaskQueue} (workflows, light activities), ${config.trainingTaskQueue} (training, ${config.maxTrainingActivities} at a time)`);
  out(`gateway:   ${url}  (POST /v1/models/<model>/predict, /feedback; GET /metrics)`);
  out(`webhook:   ${url}/v1/alerts and ${url}/v1/alerts/alertmanager${token && !o.webhookToken ? ` (Authorization: Bearer ${token})` : ''}`);
  out(`data:      ${ctx.dataDir}`);
  out('ready: start a flywheel with `flywheel start <spec>`; Ctrl-C stops (the Temporal server keeps running).');

  const signalled = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  // A worker that dies (e.g. lost connection) ends `up` too, after the same clean-up.
  let failure: unknown;
  const why = await Promise.race([signalled, workers.done.then(() => 'workers stopped')]).catch((err: unknown) => {
    failure = err;
    return `a worker failed (${(err as Error).message})`;
  });
  note(`${why}: draining workers and closing the gateway...`);
  try {
    await app.close();
    await workers.stop().catch((err: unknown) => (failure ??= err));
  } finally {
    await servingState.close();
    registry.close();
    await connection.close();
    await native.close();
  }
  if (failure) throw failure;
  note('stopped.');
}
