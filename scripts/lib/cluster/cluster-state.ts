import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** Overrides where the cluster keeps its data, logs and pids. */
export const CLUSTER_DIR_ENV = 'CT_CLUSTER_DIR';

/**
 * Outside the repo, and reachable by the `postgres` user that PostgreSQL runs as when we are
 * root (a home directory usually is not). Override with CT_CLUSTER_DIR.
 */
export function clusterDir(env: NodeJS.ProcessEnv = process.env): string {
  return env[CLUSTER_DIR_ENV] || join(tmpdir(), `ct-flywheel-cluster-${process.getuid?.() ?? 'user'}`);
}

const ClusterStateSchema = z.object({
  dir: z.string(),
  startedAt: z.string(),
  postgres: z.object({ dataDir: z.string(), port: z.number().int() }),
  temporal: z.object({ address: z.string(), namespace: z.string(), pid: z.number().int(), logFile: z.string() }),
  mlflow: z.object({ trackingUri: z.string(), pid: z.number().int(), logFile: z.string() }),
  servingStateUrl: z.string(),
});
export type ClusterState = z.infer<typeof ClusterStateSchema>;

const stateFile = (dir: string) => join(dir, 'cluster.json');

export function prepareClusterDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o711); // the postgres user must reach its data dir inside
}

export function writeClusterState(state: ClusterState): void {
  writeFileSync(stateFile(state.dir), `${JSON.stringify(state, null, 2)}\n`);
}

/** The recorded cluster, or undefined when none was started here (or the file is unreadable). */
export function readClusterState(dir: string): ClusterState | undefined {
  if (!existsSync(stateFile(dir))) return undefined;
  const parsed = ClusterStateSchema.safeParse(JSON.parse(readFileSync(stateFile(dir), 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

/** The environment that points `flywheel up --no-server`, the workers and the gateway at the cluster. */
export function clusterEnv(state: ClusterState): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: state.temporal.address,
    TEMPORAL_NAMESPACE: state.temporal.namespace,
    CT_REGISTRY: 'mlflow',
    CT_MLFLOW_TRACKING_URI: state.mlflow.trackingUri,
    CT_SERVING_STATE: 'postgres',
    CT_SERVING_STATE_URL: state.servingStateUrl,
  };
}
