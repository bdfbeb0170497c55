import { randomBytes } from 'node:crypto';
import { workflowLink, type CliContext } from '../cli-context.js';
import { unreachable } from '../cli-errors.js';
import { note, out } from '../format/output.js';
import { LOCAL_DEFAULT_ADDRESS, reachable, startLocalServer } from '../../local-server/start-local-server.js';

export interface UpOptions {
  host: string;
  port: number;
  webhookToken?: string;
  webhookHmacSecret?: string;
  /** Window for an HMAC-signed request's timestamp (the webhook's default when omitted). */
  hmacToleranceSeconds?: number;
  server: boolean;
  /** JSON logs go here; undefined: on stderr (--verbose). */
  logFile?: string;
}

/**
 * What `up` runs in-process: both workers, the gateway and the webhook. The CLI only talks
 * to Temporal as a client, so it does not build workers itself: the `flywheel` entrypoint
 * (src/main.ts) hands it src/workers/local-stack.ts, loaded only when `up` runs.
 */
export type StartLocalStack = (o: {
  connection: CliContext['config'];
  dataDir: string;
  host: string;
  port: number;
  webhookAuth: { bearerToken?: string; hmacSecret?: string; hmacToleranceSeconds?: number };
  logFile?: string;
}) => Promise<{
  url: string;
  orchestrationTaskQueue: string;
  trainingTaskQueue: string;
  maxTrainingActivities: number;
  metrics?: { worker?: string; temporal?: string };
  done: Promise<void>;
  close(): Promise<void>;
}>;

/**
 * `flywheel up`: the local server if needed, then the local stack in this process, until
 * SIGINT/SIGTERM, which drains and closes everything.
 */
export async function runUp(ctx: CliContext, o: UpOptions, startLocalStack: StartLocalStack): Promise<void> {
  if (!(await reachable(ctx.config))) {
    if (!o.server || ctx.config.address !== LOCAL_DEFAULT_ADDRESS)
      throw unreachable(ctx.config.address, new Error('no answer'));
    note(`no Temporal server at ${ctx.config.address}: starting the local one (npm run server)...`);
    await startLocalServer();
  }
  const token = o.webhookToken ?? (o.webhookHmacSecret ? undefined : randomBytes(18).toString('base64url'));
  note('bundling workflows and starting workers...');
  const started = Date.now();
  const stack = await startLocalStack({
    connection: ctx.config,
    dataDir: ctx.dataDir,
    host: o.host,
    port: o.port,
    webhookAuth: {
      ...(token ? { bearerToken: token } : {}),
      ...(o.webhookHmacSecret
        ? {
            hmacSecret: o.webhookHmacSecret,
            ...(o.hmacToleranceSeconds ? { hmacToleranceSeconds: o.hmacToleranceSeconds } : {}),
          }
        : {}),
    },
    ...(o.logFile ? { logFile: o.logFile } : {}),
  });
  note(`workers and gateway ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const { url } = stack;

  out(`temporal:  ${ctx.config.address} (namespace ${ctx.config.namespace})`);
  if (ctx.uiUrl) out(`ui:        ${workflowLink(ctx, '')?.replace(/\/$/, '') ?? ctx.uiUrl}`);
  out(
    `workers:   ${stack.orchestrationTaskQueue} (workflows, light activities), ${stack.trainingTaskQueue} (training, ${stack.maxTrainingActivities} at a time)`,
  );
  out(`gateway:   ${url}  (POST /v1/models/<model>/predict, /feedback; GET /metrics)`);
  out(
    `webhook:   ${url}/v1/alerts and ${url}/v1/alerts/alertmanager${token && !o.webhookToken ? ` (Authorization: Bearer ${token})` : ''}`,
  );
  const m = stack.metrics;
  if (m?.worker || m?.temporal)
    out(
      `metrics:   ${[m.worker && `${m.worker} (monitor, flywheels)`, m.temporal && `${m.temporal} (Temporal SDK)`].filter(Boolean).join(', ')}`,
    );
  out(`data:      ${ctx.dataDir}`);
  out(
    o.logFile
      ? `logs:      ${o.logFile} (JSON lines; --verbose prints them here instead)`
      : 'logs:      this terminal, JSON lines on stderr (--verbose)',
  );
  out('ready: start a flywheel with `flywheel start <spec>`; Ctrl-C stops (the Temporal server keeps running).');

  const signalled = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  // A worker that dies (e.g. lost connection) ends `up` too, after the same clean-up.
  let failure: unknown;
  const why = await Promise.race([signalled, stack.done.then(() => 'workers stopped')]).catch((err: unknown) => {
    failure = err;
    return `a worker failed (${(err as Error).message})`;
  });
  note(`${why}: draining workers and closing the gateway...`);
  await stack.close().catch((err: unknown) => (failure ??= err));
  if (failure && o.logFile) note(`(details in ${o.logFile})`);
  if (failure) throw failure;
  note('stopped.');
}
