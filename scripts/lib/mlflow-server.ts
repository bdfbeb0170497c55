import { mkdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startChildServer, type ChildServer } from './child-server.js';
import { freePort } from './free-port.js';
import { ensureMlflow } from './mlflow-venv.js';

/** A cold MLflow import on 2 loaded cores takes far longer than the 5 s it takes idle. */
const START_TIMEOUT_MS = 120_000;

export interface MlflowServerOptions {
  /** Python of the pinned MLflow venv (default: provisioned by ensureMlflow). */
  python?: string;
  /** Where the SQLite backend store and the proxied artifacts live (default: a new temp dir). */
  dataDir?: string;
  /** Port on 127.0.0.1 (default: a free one). */
  port?: number;
}

export interface MlflowServerCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  trackingUri: string;
}

/**
 * The light MLflow server: one uvicorn worker, no job runner (the default command takes
 * 34 s and 2.6 GiB, this one about 5 s and 490 MiB), the backend store in
 * `<dataDir>/mlflow.db` and the artifact proxy writing under `<dataDir>/mlartifacts`.
 * Exported for callers that start it their own way (detached, with a pid file).
 */
export function mlflowServerCommand(opts: { python: string; port: number; dataDir: string }): MlflowServerCommand {
  const dataDir = resolve(opts.dataDir);
  mkdirSync(join(dataDir, 'mlartifacts'), { recursive: true });
  return {
    command: opts.python,
    args: [
      '-m',
      'mlflow',
      'server',
      '--host',
      '127.0.0.1',
      '--port',
      String(opts.port),
      '--workers',
      '1',
      '--backend-store-uri',
      `sqlite:///${join(dataDir, 'mlflow.db')}`,
      '--artifacts-destination',
      join(dataDir, 'mlartifacts'),
    ],
    env: { ...process.env, MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false' },
    trackingUri: `http://127.0.0.1:${opts.port}`,
  };
}

/** One readiness probe: MLflow answers `GET /health` with 200 once its app is loaded. */
export async function probeMlflow(trackingUri: string): Promise<true | undefined> {
  const res = await fetch(`${trackingUri}/health`, { signal: AbortSignal.timeout(2_000) });
  return res.ok ? true : undefined;
}

export type MlflowServer = ChildServer & { trackingUri: string; dataDir: string };

/**
 * Starts a MLflow server as a child of this process (its own process group, so its
 * worker stops with it) on 127.0.0.1 and waits until `/health` answers. `stop()` ends it;
 * the data dir is left for the caller to remove.
 */
export async function startMlflowServer(opts: MlflowServerOptions = {}): Promise<MlflowServer> {
  const python = opts.python ?? (await ensureMlflow()).path;
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'ct-mlflow-')));
  const cmd = mlflowServerCommand({ python, port, dataDir });
  const server = await startChildServer({
    label: 'MLflow server',
    command: cmd.command,
    args: cmd.args,
    env: cmd.env,
    address: cmd.trackingUri,
    probe: () => probeMlflow(cmd.trackingUri),
    timeoutMs: START_TIMEOUT_MS,
    processGroup: true,
  });
  return { ...server, trackingUri: cmd.trackingUri, dataDir };
}
