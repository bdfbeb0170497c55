import { fileURLToPath } from 'node:url';
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
import { startTimeSkippingServer } from '../../scripts/lib/test-servers.js';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/domain/search-attributes.js';
import './provided-context.js';

const ATTACH = fileURLToPath(new URL('./attach-time-skipping-server.sh', import.meta.url));

/**
 * A time-skipping TestWorkflowEnvironment through the SDK's public API, on a Java test server
 * of its own, so `client` skips time while awaiting results, `sleep()` skips explicitly and
 * `currentTimeMs()` reads server time. One per test file (in beforeAll); `await env.teardown()`
 * stops its server.
 *
 * We start the server ourselves and hand the SDK a stand-in executable on that server's port
 * (attach-time-skipping-server.sh): the SDK kills a server that does not answer within 5 s, and
 * a JVM starting beside other test files on two busy cores has taken 8–22 s (three SDK
 * attempts in a row have failed, skipping whole files). startTimeSkippingServer waits up to
 * 90 s for the server to answer. The SDK offers no public way to get a time-skipping
 * environment on a server it did not start, so it still "starts" one: the stand-in.
 *
 * The project's search attributes are registered on it through the operator service, as
 * `temporal operator search-attribute create` does on a real cluster, so workflows and
 * clients use them on this server exactly as in production.
 */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const server = await startTimeSkippingServer(inject('temporalTestServerPath'));
  let env: TestWorkflowEnvironment;
  try {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { port: Number(server.address.split(':')[1]), executable: { type: 'existing-path', path: ATTACH } },
    });
  } catch (err) {
    await server.stop();
    throw err;
  }
  const sdkTeardown = env.teardown.bind(env);
  env.teardown = async () => {
    await sdkTeardown();
    await server.stop();
  };
  try {
    await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  } catch (err) {
    await env.teardown();
    throw err;
  }
  return env;
}

async function registerSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const searchAttributes = Object.fromEntries(
    SEARCH_ATTRIBUTE_KEYS.map((key) => [
      key.name,
      temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`],
    ]),
  );
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
}
