import { devServerArgs, type DevServerOptions } from '../../src/local-server/dev-server-args.js';
import { freePort } from './free-port.js';
import { probeTemporal } from '../../src/local-server/temporal-health.js';
import { startChildServer, type ChildServer } from './child-server.js';

/** JVM and dev-server start on 2 busy cores can be slow; the SDK's 5 s is not enough. */
const START_TIMEOUT_MS = 90_000;

/**
 * Starts the Java time-skipping test server on a free port. Time skipping starts
 * locked, as the SDK expects: a TimeSkippingClient unlocks it while awaiting a result,
 * and `sleep()` skips explicitly.
 */
export async function startTimeSkippingServer(wrapperPath: string): Promise<ChildServer> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  return startChildServer({
    label: 'time-skipping test server',
    command: wrapperPath,
    args: [String(port)],
    address,
    probe: () => probeTemporal(address),
    timeoutMs: START_TIMEOUT_MS,
  });
}

/**
 * Starts an in-memory, headless dev server on a free port with the project's search
 * attributes, and waits until the namespace answers with them registered.
 */
export async function startEphemeralDevServer(
  cliPath: string,
  opts: Omit<DevServerOptions, 'port' | 'uiPort' | 'dbFile'> = {},
): Promise<ChildServer & { namespace: string }> {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const namespace = opts.namespace ?? 'default';
  const server = await startChildServer({
    label: 'dev server',
    command: cliPath,
    args: devServerArgs({ ...opts, port, namespace }),
    address,
    probe: () => probeTemporal(address, { namespace }),
    timeoutMs: START_TIMEOUT_MS,
  });
  return { ...server, namespace };
}
