import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { startPostgresCluster, stopPostgresCluster } from '../../../src/local-server/postgres-cluster.js';
import { ProvisionError } from '../../../src/local-server/provision-error.js';
import { ensureTemporalCli } from '../../../src/local-server/temporal-cli.js';
import { ensureTemporalServer } from '../../../src/local-server/temporal-server.js';
import { waitUntil } from '../../../src/local-server/wait-until.js';
import { freePort } from '../free-port.js';
import { mlflowServerCommand, probeMlflow } from '../mlflow-server.js';
import { ensureMlflow } from '../mlflow-venv.js';
import { prepareClusterDir, readClusterState, writeClusterState, type ClusterState } from './cluster-state.js';
import { startTemporalOnPostgres } from './temporal-on-postgres.js';

/** The serving-state database in the cluster's PostgreSQL (Temporal's two live beside it). */
const SERVING_DATABASE = 'ct_serving';

/**
 * Provisions (cached) and starts the production topology on loopback, each piece detached so
 * it outlives this process: one private PostgreSQL cluster holding Temporal's databases and
 * the serving-state database, the Temporal server 1.29.1 on it, and a MLflow server. A
 * cluster already running in `dir` is returned as it is. Prints progress with timings.
 */
export async function startCluster(dir: string, say: (line: string) => void): Promise<ClusterState> {
  const running = readClusterState(dir);
  if (running && clusterRunning(dir)) {
    say(`a cluster is already running (started ${running.startedAt})`);
    return running;
  }
  if (running) await stopCluster(dir, say);
  prepareClusterDir(dir);
  const timed = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const value = await fn();
    say(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return value;
  };
  const [tools, cli, python] = await timed('provisioning (Temporal server, Temporal CLI, MLflow venv)', () =>
    Promise.all([ensureTemporalServer(), ensureTemporalCli(), ensureMlflow()]),
  );
  const pg = await timed('PostgreSQL', () => startPostgresCluster({ dataDir: join(dir, 'postgres'), say }));
  // Whatever started is stopped again if a later piece fails: a failed start leaves nothing running.
  const started: Array<() => Promise<void>> = [() => pg.stop()];
  try {
    const servingStateUrl = await pg.createDatabase(SERVING_DATABASE);
    // MLflow and Temporal start side by side (each takes tens of seconds on a busy machine); each
    // registers its stop as soon as it is spawned, and both have settled before a failure is thrown.
    const [mlflowStart, temporalStart] = await Promise.allSettled([
      timed('MLflow server', () =>
        startMlflow(python.path, join(dir, 'mlflow'), (pid) =>
          started.push(() => stopProcess('MLflow server', pid, say, true)),
        ),
      ),
      timed('Temporal server on PostgreSQL', () =>
        startTemporalOnPostgres({
          tools,
          temporalCli: cli.path,
          // Trust authentication on loopback: the sql tool and the server still want a password.
          pg: { host: pg.host, port: pg.port, user: 'postgres', password: 'postgres' },
          dir: join(dir, 'temporal'),
          namespace: 'default',
          say,
          onStarted: (pid) => started.push(() => stopProcess('Temporal server', pid, say)),
        }),
      ),
    ]);
    if (mlflowStart.status === 'rejected') throw mlflowStart.reason;
    if (temporalStart.status === 'rejected') throw temporalStart.reason;
    const [mlflow, temporal] = [mlflowStart.value, temporalStart.value];
    const state: ClusterState = {
      dir,
      startedAt: new Date().toISOString(),
      postgres: { dataDir: pg.dataDir, port: pg.port },
      temporal,
      mlflow,
      servingStateUrl,
    };
    writeClusterState(state);
    return state;
  } catch (err) {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    throw err;
  }
}

/** Stops what {@link startCluster} started in `dir` (Temporal, MLflow, then PostgreSQL); the data stays. */
export async function stopCluster(dir: string, say: (line: string) => void): Promise<void> {
  const state = readClusterState(dir);
  if (!state) return say(`no cluster recorded in ${dir}`);
  await stopProcess('Temporal server', state.temporal.pid, say);
  await stopProcess('MLflow server', state.mlflow.pid, say, true);
  if (await stopPostgresCluster(state.postgres.dataDir)) say('PostgreSQL stopped');
}

async function startMlflow(python: string, dataDir: string, onStarted: (pid: number) => void) {
  const cmd = mlflowServerCommand({ python, port: await freePort(), dataDir });
  const logFile = join(dataDir, 'mlflow-server.log');
  // Its own process group (detached), so stopping it reaches its uvicorn worker too.
  const child = spawn(cmd.command, cmd.args, {
    env: cmd.env,
    detached: true,
    stdio: ['ignore', openSync(logFile, 'a'), openSync(logFile, 'a')],
  });
  child.unref();
  const pid = child.pid;
  if (!pid) throw new ProvisionError(`Could not start the MLflow server; see ${logFile}.`);
  onStarted(pid);
  await waitUntil({
    what: 'MLflow server',
    timeoutMs: 180_000,
    intervalMs: 500,
    probe: () => probeMlflow(cmd.trackingUri),
    abort: () => (alive(pid) ? undefined : `exited during start-up; see ${logFile}`),
  });
  return { trackingUri: cmd.trackingUri, pid, logFile };
}

/** True when the cluster recorded in `dir` has its Temporal and MLflow servers running. */
export function clusterRunning(dir: string): boolean {
  const state = readClusterState(dir);
  return state !== undefined && alive(state.temporal.pid) && alive(state.mlflow.pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopProcess(what: string, pid: number, say: (line: string) => void, group = false): Promise<void> {
  if (!alive(pid)) return;
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(group ? -pid : pid, signal);
    } catch {
      // gone already
    }
  };
  kill('SIGTERM');
  const gone = await waitUntil({
    what,
    timeoutMs: 15_000,
    probe: async () => (alive(pid) ? undefined : true),
  }).catch(() => false);
  if (!gone) kill('SIGKILL');
  say(`${what} stopped (pid ${pid})`);
}
