import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { MlflowModelRegistry } from '../../../src/adapters/registry/index.js';
import { startMlflowServer, type MlflowServer } from '../../../scripts/lib/mlflow-server.js';
import { describeRegistryContract } from '../../support/registry-contract.js';

/** One real MLflow server (mlflow==3.17.2, provisioned by `npm test`) for the whole file; each test uses a model of its own. */
let server: MlflowServer;
beforeAll(async () => {
  server = await startMlflowServer();
}, 300_000);
afterAll(async () => {
  await server?.stop();
  if (server) await rm(server.dataDir, { recursive: true, force: true });
});

describeRegistryContract('mlflow', () => ({
  async open() {
    const create = () => new MlflowModelRegistry({ trackingUri: server.trackingUri });
    return {
      registry: create(),
      another: create,
      artifactFile: (sha256) => join(server.dataDir, 'mlartifacts', MlflowModelRegistry.blobPath(sha256)),
      // The alias MLflow holds is gone while the stage tag says the event was applied.
      loseAliasWrite: async (modelId) => {
        const res = await fetch(`${server.trackingUri}/api/2.0/mlflow/registered-models/alias`, {
          method: 'DELETE',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: modelId, alias: 'champion' }),
        });
        if (!res.ok) throw new Error(`deleting the alias failed: ${res.status} ${await res.text()}`);
      },
      dispose: async () => undefined,
    };
  },
}));
