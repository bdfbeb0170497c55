/**
 * Child process for the gateway SIGKILL test: the real serving gateway over an on-disk
 * registry and SQLite serving state, alone in its process, as `flywheel up` runs it.
 * Prints `LISTENING <url>` once it accepts requests; runs until killed.
 * Usage: node --import tsx gateway-child.ts <root>   (registry in <root>/registry, log in <root>/serving.db)
 */
import { join } from 'node:path';
import { LocalModelRegistry } from '../../src/adapters/registry/index.js';
import { SqliteServingState } from '../../src/adapters/serving-state/index.js';
import { createGateway } from '../../src/serving/create-gateway.js';

const [root] = process.argv.slice(2);
if (!root) throw new Error('usage: gateway-child.ts <root>');
const registry = new LocalModelRegistry({ root: join(root, 'registry') });
const state = new SqliteServingState({ path: join(root, 'serving.db'), trustedWrites: true });
const app = createGateway(
  { registry, routing: state, predictionLog: state, loadFailures: state },
  { processMetrics: false },
);
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`LISTENING ${url}\n`);
