import { mkdir, rmdir } from 'node:fs/promises';
import { inject } from 'vitest';
import { startCluster } from '../../scripts/lib/cluster/cluster.js';
import type { ClusterState } from '../../scripts/lib/cluster/cluster-state.js';
import { waitFor } from './wait-for.js';
import './provided-context.js';

/** A cluster start on two loaded cores (PostgreSQL, MLflow, Temporal) has taken minutes. */
const START_WAIT_MS = 600_000;

/**
 * The run's cluster (`npm run cluster`'s code: Temporal server on PostgreSQL, MLflow, the
 * serving-state database), started by the first file that asks and found running by the
 * next; the globalSetup stops it after the run (test/support/cluster-for-run.ts). Do not
 * stop it from a test file.
 *
 * Test files run in parallel forks, so two of them may ask at once: a lock (a directory
 * beside the cluster's, made atomically) lets one start it while the other waits, then finds
 * it running.
 */
export async function sharedCluster(): Promise<ClusterState> {
  const dir = inject('clusterDir');
  const lock = `${dir}.start-lock`;
  await waitFor(
    () =>
      mkdir(lock).then(
        () => true,
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'EEXIST') return false;
          throw err;
        },
      ),
    {
      describe: `the cluster start lock ${lock} (another test file is starting the cluster)`,
      timeoutMs: START_WAIT_MS,
      intervalMs: 250,
    },
  );
  const say = (line: string) => process.stdout.write(`[cluster] ${line}\n`);
  const started = Date.now();
  try {
    const state = await startCluster(dir, say);
    say(`ready for this file in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return state;
  } finally {
    await rmdir(lock);
  }
}
