import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterRunning, stopCluster } from '../../scripts/lib/cluster/cluster.js';
import { CLUSTER_DIR_ENV } from '../../scripts/lib/cluster/cluster-state.js';

/**
 * Where the `temporal` test run keeps the cluster of `npm run cluster` (Temporal on
 * PostgreSQL, MLflow, the serving-state database). Nothing starts here: the first test file
 * that needs it starts it ({@link sharedCluster}), later files find it running, and
 * `dispose` stops it after the run, so a run that needs no cluster pays nothing and one that
 * does pays once. With CT_CLUSTER_DIR naming a cluster already running (a developer's
 * `npm run cluster`), the tests use it and leave it running.
 */
export function clusterForRun(env: NodeJS.ProcessEnv = process.env): { dir: string; dispose(): Promise<void> } {
  const given = env[CLUSTER_DIR_ENV];
  const dir = given || mkdtempSync(join(tmpdir(), 'ct-test-cluster-'));
  const keep = Boolean(given) && clusterRunning(dir);
  const say = (line: string) => process.stdout.write(`[test cluster] ${line}\n`);
  return {
    dir,
    async dispose() {
      if (keep) return;
      if (clusterRunning(dir) || given) await stopCluster(dir, say);
      if (!given) rmSync(dir, { recursive: true, force: true });
    },
  };
}
