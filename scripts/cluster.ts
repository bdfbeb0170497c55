/**
 * `npm run cluster` / `npm run cluster:stop`: the production topology on loopback (Temporal
 * server on PostgreSQL, MLflow, a PostgreSQL serving-state database), started detached with
 * its state in CT_CLUSTER_DIR (default: a directory under the system temp dir, outside the
 * repo). `start` prints the environment that points `flywheel up --no-server`, `flywheel
 * worker …` and `flywheel gateway` at it.
 */
import { runMain } from '../src/config/fail-fast.js';
import { ProvisionError } from '../src/local-server/provision-error.js';
import { startCluster, stopCluster } from './lib/cluster/cluster.js';
import { clusterDir, clusterEnv } from './lib/cluster/cluster-state.js';

const say = (line: string) => process.stdout.write(`[cluster] ${line}\n`);

runMain(async () => {
  const command = process.argv[2];
  const dir = clusterDir();
  if (command === 'stop') return stopCluster(dir, say);
  if (command !== 'start')
    throw new ProvisionError(
      `Unknown command "${command ?? ''}": use \`npm run cluster\` or \`npm run cluster:stop\`.`,
    );
  const started = Date.now();
  const state = await startCluster(dir, say);
  say(`up in ${((Date.now() - started) / 1000).toFixed(1)} s; state, data and logs in ${dir}`);
  say(`temporal ${state.temporal.address} (log ${state.temporal.logFile}), mlflow ${state.mlflow.trackingUri}`);
  say('point flywheel at it (then `flywheel worker orchestration`, `flywheel worker training`, `flywheel gateway`):');
  for (const [name, value] of Object.entries(clusterEnv(state))) process.stdout.write(`export ${name}=${value}\n`);
  say('stop it with `npm run cluster:stop`.');
});
