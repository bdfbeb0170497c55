import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MlflowModelRegistry,
  RegistryLockTimeoutError,
  RegistryUnavailableError,
} from '../../../src/adapters/registry/index.js';
import { freePort } from '../../../scripts/lib/free-port.js';
import { sampleLineage } from '../../support/sample-lineage.js';
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

/** MLflow's REST API, straight, to set up what a crashed or concurrent attempt leaves behind. */
async function mlflow<T>(method: string, endpoint: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.trackingUri}/api/2.0/mlflow/${endpoint}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${endpoint}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe('mlflow registry: attempts of one cycle across processes', () => {
  it('takes over the run a crashed attempt left RUNNING, and makes a live attempt wait, then give up as RegistryBusy', async () => {
    const registry = new MlflowModelRegistry({ trackingUri: server.trackingUri, claimWaitMs: 1_000 });
    const model = `claims-${Date.now().toString(36)}`;
    const art = (await registry.putArtifact(new TextEncoder().encode(model))).sha256;
    const register = (cycleId: string) =>
      registry.registerVersion({ modelId: model, cycleId, artifactSha256: art, lineage: sampleLineage() });
    await register('c1');
    const { experiment } = await mlflow<{ experiment: { experiment_id: string } }>(
      'GET',
      `experiments/get-by-name?experiment_name=${encodeURIComponent(`ct-flywheel/${model}`)}`,
    );
    const runOf = async (cycleId: string, startedMsAgo: number) =>
      (
        await mlflow<{ run: { info: { run_id: string } } }>('POST', 'runs/create', {
          experiment_id: experiment.experiment_id,
          start_time: Date.now() - startedMsAgo,
          tags: [{ key: 'ct.cycle_id', value: cycleId }],
        })
      ).run.info.run_id;
    const statusOf = async (runId: string) =>
      (await mlflow<{ run: { info: { status: string } } }>('GET', `runs/get?run_id=${runId}`)).run.info.status;

    // Crashed ten minutes ago between creating its run and its version: the retry takes over.
    const crashed = await runOf('c2', 600_000);
    const r2 = await register('c2');
    expect([r2.version.version, r2.created]).toEqual([2, true]);
    expect(await statusOf(crashed)).toBe('FAILED');

    // Still running (started now, no version yet): the attempt waits, then gives up, retryably.
    const live = await runOf('c3', 0);
    const err = await register('c3').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryLockTimeoutError);
    expect((err as Error).message).toContain(`another attempt is registering cycle c3 (MLflow run ${live}`);
    expect(await statusOf(live)).toBe('RUNNING');
    expect(await registry.findVersionByCycle(model, 'c3')).toBeNull();
    expect((await registry.listVersions(model)).map((v) => v.cycleId)).toEqual(['c1', 'c2']);
  });

  it('says which server is unreachable and what to do', async () => {
    const trackingUri = `http://127.0.0.1:${await freePort()}`;
    const err = await new MlflowModelRegistry({ trackingUri }).getVersion('m', 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryUnavailableError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^MLflow at ${trackingUri} is unreachable \\(GET /api/2.0/mlflow/model-versions/get: .*\\); start it .* CT_MLFLOW_TRACKING_URI`,
      ),
    );
  });
});
