import type { TestProject } from 'vitest/node';
import { provisionAll } from '../../scripts/lib/provision-all.js';
import { startEphemeralDevServer, startTimeSkippingServer } from '../../scripts/lib/test-servers.js';
import type { ChildServer } from '../../scripts/lib/child-server.js';
import './provided-context.js';

/**
 * One time-skipping server and one dev server per `temporal` test run, started here in
 * vitest's main process (not per file: parallel starts have raced) and shared with the
 * forked test files via provide/inject. We start them ourselves, not through the SDK,
 * because the SDK gives a server only 5 s to answer and a JVM on 2 busy cores can take
 * longer. The returned function stops both.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { temporalCli, testServer } = await provisionAll({ testServer: true });
  if (!testServer) throw new Error('provisionAll did not return the test server');
  const started = Date.now();
  const results = await Promise.allSettled([startTimeSkippingServer(testServer.path), startEphemeralDevServer(temporalCli.path)]);
  const servers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await Promise.all(servers.map((s) => s.stop()));
    throw failure.reason;
  }
  const [timeSkipping, dev] = servers as [ChildServer, ChildServer & { namespace: string }];
  process.stdout.write(
    `[test servers] time-skipping ${timeSkipping.address}, dev ${dev.address} (namespace ${dev.namespace}), up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  project.provide('temporalTimeSkippingAddress', timeSkipping.address);
  project.provide('temporalDevServerAddress', dev.address);
  project.provide('temporalDevServerNamespace', dev.namespace);
  project.provide('temporalCliPath', temporalCli.path);
  return async () => {
    await Promise.all([timeSkipping.stop(), dev.stop()]);
  };
}
