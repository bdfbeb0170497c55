import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/domain/search-attributes.js';
import './provided-context.js';

/**
 * A time-skipping TestWorkflowEnvironment through the SDK's public API: its own Java test
 * server from the provisioned wrapper (`server.executable` existing-path), so `client` skips
 * time while awaiting results, `sleep()` skips explicitly and `currentTimeMs()` reads server
 * time. One per test file (in beforeAll); `await env.teardown()` stops its server.
 *
 * The project's search attributes are registered on it through the operator service, as
 * `temporal operator search-attribute create` does on a real cluster, so workflows and
 * clients use them on this server exactly as in production.
 */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await createWithRetries();
  try {
    await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  } catch (err) {
    await env.teardown();
    throw err;
  }
  return env;
}

/**
 * The SDK gives the server 5 s to answer, then kills it. A JVM on two busy cores (the unit
 * project runs beside this one) has been measured at 1.7–3.5 s, so a start that misses the
 * deadline is tried again rather than failing the whole file.
 */
async function createWithRetries(attempts = 3): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path: inject('temporalTestServerPath') } },
      });
    } catch (err) {
      if (attempt >= attempts || !/did not start within|startup/i.test(String(err))) throw err;
      process.stderr.write(
        `[time-skipping server] start attempt ${attempt} missed the SDK's 5 s deadline; trying again\n`,
      );
    }
  }
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
