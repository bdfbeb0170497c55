import { inject } from 'vitest';
import { startCluster } from '../../scripts/lib/cluster/cluster.js';
import type { ClusterState } from '../../scripts/lib/cluster/cluster-state.js';
import './provided-context.js';

/**
 * The run's cluster (`npm run cluster`'s code: Temporal server on PostgreSQL, MLflow, the
 * serving-state database), started by the first file that asks and found running by the
 * next; the globalSetup stops it after the run (test/support/cluster-for-run.ts). Do not
 * stop it from a test file.
 */
export async function sharedCluster(): Promise<ClusterState> {
  const say = (line: string) => process.stdout.write(`[cluster] ${line}\n`);
  const started = Date.now();
  const state = await startCluster(inject('clusterDir'), say);
  say(`ready for this file in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return state;
}
