/**
 * `start` | `stop` the local Temporal dev server, as a process of its own: `npm run server`
 * (scripts/server.ts) and `flywheel up` run this file, the latter with its output sent to
 * stderr so that `up`'s stdout stays its own report.
 */
import { runMain } from '../config/fail-fast.js';
import { startLocalDevServer, stopLocalDevServer } from './local-dev-server.js';
import { ProvisionError } from './provision-error.js';

runMain(async () => {
  const command = process.argv[2];
  if (command === 'start') return startLocalDevServer();
  if (command === 'stop') return stopLocalDevServer();
  throw new ProvisionError(
    `Unknown command "${command ?? ''}": use \`npm run server\` (start) or \`npm run server:stop\`.`,
  );
});
