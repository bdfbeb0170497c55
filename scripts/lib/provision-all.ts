import { MLFLOW_VERSION } from '../../src/local-server/cache-dir.js';
import { ProvisionError } from '../../src/local-server/provision-error.js';
import { ensureTemporalCli } from '../../src/local-server/temporal-cli.js';
import { ensureTemporalServer, type TemporalServerTools } from '../../src/local-server/temporal-server.js';
import { ensureMlflow } from './mlflow-venv.js';
import { ensureTestServer } from './test-server.js';
import { ensureAlertmanager, type AlertmanagerTools } from './alertmanager-tool.js';
import { ensurePrometheus, type PrometheusTools } from './prometheus-tool.js';
import { describeTool, say, type ProvisionedTool } from '../../src/local-server/provisioned-tool.js';
import {
  describePostgres,
  ensurePostgresBinaries,
  type PostgresBinaries,
} from '../../src/local-server/postgres-binaries.js';

export interface ProvisionedServers {
  temporalCli: ProvisionedTool;
  testServer?: ProvisionedTool;
  /** Prometheus + promtool and Alertmanager + amtool: the monitoring e2e test and the config checks. */
  prometheus?: PrometheusTools;
  alertmanager?: AlertmanagerTools;
  /** Python of the pinned MLflow server (the MLflow registry's tests and `npm run cluster`). */
  mlflow?: ProvisionedTool;
  /** PostgreSQL 15 server binaries: the serving-state contract tests start private clusters with them. */
  postgres?: PostgresBinaries;
  /** The full Temporal server and its SQL tool: `npm run cluster` and the multi-process e2e test. */
  temporalServer?: TemporalServerTools;
}

/**
 * Makes sure the servers the project needs exist (finding or building them) and prints
 * one line per tool plus the total provisioning time. `testServer: false` skips what only
 * the tests use: the Java time-skipping server, Prometheus, Alertmanager and (unless
 * `mlflow` says otherwise) the MLflow venv; `npm run server` only needs the CLI. `postgres: true`
 * adds the PostgreSQL server binaries.
 */
export async function provisionAll(opts: {
  testServer: boolean;
  mlflow?: boolean;
  postgres?: boolean;
  temporalServer?: boolean;
}): Promise<ProvisionedServers> {
  const started = Date.now();
  // Try every tool before failing, so one message lists everything that is missing.
  const problems: string[] = [];
  const attempt = async <T>(fn: () => Promise<T>): Promise<T | undefined> =>
    fn().catch((err: unknown) => {
      if (!(err instanceof ProvisionError)) throw err;
      problems.push(err.message);
      return undefined;
    });
  const temporalCli = await attempt(timed('Temporal CLI', ensureTemporalCli));
  const testServer = opts.testServer ? await attempt(timed('time-skipping test server', ensureTestServer)) : undefined;
  const prometheus = opts.testServer ? await attempt(timed('Prometheus + promtool', ensurePrometheus)) : undefined;
  const alertmanager = opts.testServer ? await attempt(timed('Alertmanager + amtool', ensureAlertmanager)) : undefined;
  const mlflow =
    (opts.mlflow ?? opts.testServer)
      ? await attempt(timed(`MLflow ${MLFLOW_VERSION} (python)`, ensureMlflow))
      : undefined;
  const postgresStarted = Date.now();
  const postgres = opts.postgres ? await attempt(ensurePostgresBinaries) : undefined;
  if (postgres) say(`${describePostgres(postgres)}: ${secondsSince(postgresStarted)}`);
  const temporalServer =
    (opts.temporalServer ?? opts.testServer)
      ? await attempt(timed('Temporal server + SQL tool (cluster)', ensureTemporalServer))
      : undefined;
  if (!temporalCli || problems.length) throw new ProvisionError(problems.join('\n\n'));
  const built =
    [temporalCli, testServer, prometheus, alertmanager, mlflow, temporalServer].filter((t) => t?.source === 'built')
      .length + (postgres?.source === 'installed' ? 1 : 0);
  say(
    `provisioning took ${secondsSince(started)} (${built === 0 ? 'nothing to build, cache warm' : `${built} tool(s) built`}).`,
  );
  return {
    temporalCli,
    testServer,
    prometheus,
    alertmanager,
    mlflow,
    ...(postgres ? { postgres } : {}),
    ...(temporalServer ? { temporalServer } : {}),
  };
}

/** Runs one provisioner and prints where its tool was found (or how long building it took) and the time it took. */
function timed<T extends ProvisionedTool>(name: string, ensure: () => Promise<T>): () => Promise<T> {
  return async () => {
    const started = Date.now();
    const tool = await ensure();
    say(`${describeTool(name, tool)}: ${secondsSince(started)}`);
    return tool;
  };
}

const secondsSince = (startMs: number) => `${((Date.now() - startMs) / 1000).toFixed(1)} s`;
