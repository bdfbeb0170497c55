import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { clusterEnv, type ClusterState } from '../../scripts/lib/cluster/cluster-state.js';
import { METRICS_OFF } from './metrics-ports.js';
import { ProcessGroups } from './process-groups.js';
import { waitFor } from './wait-for.js';

const FLYWHEEL_BIN = fileURLToPath(new URL('../../bin/flywheel.js', import.meta.url));

export interface ClusterProcessConfig {
  state: ClusterState;
  /** CT_DATA_DIR of every process (snapshots, training work dirs): one machine stands in for a shared mount. */
  dataDir: string;
  /** FLYWHEEL_WEBHOOK_TOKEN of every gateway replica. */
  webhookToken: string;
  /** Extra environment of every process (e.g. the task queues). */
  env?: Record<string, string>;
}

/** A `flywheel gateway` replica that answers at `url`. */
export interface GatewayReplica {
  child: ChildProcess;
  url: string;
  replicaId: string;
}

/**
 * The production topology's processes on the cluster of `npm run cluster`, each the real
 * CLI entrypoint (`flywheel worker orchestration|training`, `flywheel gateway`) in a
 * process of its own, configured from the environment the cluster prints. `killAll` in
 * afterAll stops them (process groups, SIGKILL), whatever the test did.
 */
export class ClusterProcesses {
  private readonly groups = new ProcessGroups();

  constructor(private readonly config: ClusterProcessConfig) {}

  private spawn(args: string[], env: Record<string, string> = {}): ChildProcess {
    return this.groups.spawn(process.execPath, [FLYWHEEL_BIN, ...args], {
      cwd: '/tmp',
      env: {
        ...process.env,
        ...clusterEnv(this.config.state),
        CT_DATA_DIR: this.config.dataDir,
        LOG_LEVEL: 'warn',
        ...METRICS_OFF,
        ...this.config.env,
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
  }

  /** `flywheel worker <role>`; it polls its queue once its runtime is up (nothing to wait for: tasks wait for it). */
  worker(role: 'orchestration' | 'training'): ChildProcess {
    return this.spawn(['worker', role]);
  }

  /** `flywheel gateway` on `port` (its own free port), resolved once it answers. */
  async gateway(port: number, replicaId: string): Promise<GatewayReplica> {
    const child = this.spawn(['gateway'], {
      CT_GATEWAY_PORT: String(port),
      CT_GATEWAY_REPLICA_ID: replicaId,
      FLYWHEEL_WEBHOOK_TOKEN: this.config.webhookToken,
    });
    const url = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`gateway ${replicaId} on ${port} exited with ${child.exitCode}`);
        return (await fetch(`${url}/healthz`).catch(() => undefined))?.ok ? true : undefined;
      },
      { describe: `gateway ${replicaId} on ${port}`, timeoutMs: 90_000, intervalMs: 200 },
    );
    return { child, url, replicaId };
  }

  kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    return this.groups.kill(child, signal);
  }

  killAll(): Promise<void> {
    return this.groups.killAll();
  }
}

/** POSTs an Alertmanager notification to a replica's webhook with the bearer token. */
export async function postAlertmanager(url: string, token: string, body: string) {
  const res = await fetch(`${url}/v1/alerts/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  return { status: res.status, json: (await res.json()) as { signalled: unknown[]; duplicates: string[] } };
}
