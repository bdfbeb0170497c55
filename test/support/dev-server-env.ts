import { TestWorkflowEnvironment } from '@temporalio/testing';
import { inject } from 'vitest';
import { startEphemeralDevServer } from '../../scripts/lib/test-servers.js';
import type { ChildServer } from '../../scripts/lib/child-server.js';
import './provided-context.js';

/**
 * Connects to the run's shared dev server (real Temporal: visibility, Schedules, search
 * attributes). No time skipping: `env.sleep()` sleeps for real. `await env.teardown()`
 * closes the connections and leaves the server up for other files.
 */
export async function devServerEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({
    address: inject('temporalDevServerAddress'),
    namespace: inject('temporalDevServerNamespace'),
  });
}

/**
 * Starts a dedicated in-memory dev server for a file that needs other dynamic config,
 * e.g. `{ 'limit.historyCount.suggestContinueAsNew': 40 }` to exercise continue-as-new
 * (the Java time-skipping server never suggests continue-as-new). Costs ~1-2 s; stop it
 * in afterAll with `await server.stop()`.
 */
export async function startDedicatedDevServer(
  dynamicConfig: Record<string, unknown>,
): Promise<ChildServer & { namespace: string }> {
  return startEphemeralDevServer(inject('temporalCliPath'), { dynamicConfig });
}
