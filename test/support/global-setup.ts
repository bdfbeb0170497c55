import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { provisionAll } from '../../scripts/lib/provision-all.js';
import { startEphemeralDevServer } from '../../scripts/lib/test-servers.js';
import { clusterForRun } from './cluster-for-run.js';
import './provided-context.js';

/**
 * One dev server per `temporal` test run, started here in vitest's main process (not per
 * file: parallel starts have raced) and shared with the forked test files via
 * provide/inject; we start it ourselves because the SDK gives a server only 5 s to answer.
 * The time-skipping server is provisioned here but started per file through the SDK's public
 * `TestWorkflowEnvironment.createTimeSkipping` (test/support/time-skipping-env.ts): time
 * skipping is global to a server, and the SDK offers no public way to skip time on one it
 * did not start. The cluster of `npm run cluster` is started by the first file that needs it
 * (test/support/shared-cluster.ts). It also makes the run's workflow-bundle folder
 * (test/workflows/helpers/bundle.ts). The returned function stops the dev server and that
 * cluster, and removes the folder.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { temporalCli, testServer } = await provisionAll({ testServer: true });
  if (!testServer) throw new Error('provisionAll did not return the test server');
  const started = Date.now();
  const dev = await startEphemeralDevServer(temporalCli.path);
  process.stdout.write(
    `[test servers] dev ${dev.address} (namespace ${dev.namespace}), up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  project.provide('temporalTestServerPath', testServer.path);
  project.provide('temporalDevServerAddress', dev.address);
  project.provide('temporalDevServerNamespace', dev.namespace);
  project.provide('temporalCliPath', temporalCli.path);
  const cluster = clusterForRun();
  project.provide('clusterDir', cluster.dir);
  const bundleDir = await mkdtemp(join(tmpdir(), 'ct-workflow-bundles-'));
  project.provide('workflowBundleDir', bundleDir);
  return async () => {
    await dev.stop();
    await cluster.dispose();
    await rm(bundleDir, { recursive: true, force: true });
  };
}
