import { Client, type Connection } from '@temporalio/client';
import { waitFor as waitForCondition } from '../../support/wait-for.js';

/** {@link waitForCondition} with the workflow tests' positional arguments: polls `probe` (real time; no time skipping). */
export function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  return waitForCondition(probe, { describe: what, timeoutMs, intervalMs: 150 });
}

/**
 * Terminates a test's flywheel. Cleanup only: on the time-skipping server an idle
 * flywheel (no timer) can be skipped to its execution timeout once the test's last
 * awaited result returns, and then there is nothing left to terminate.
 */
export async function stopFlywheel(handle: { terminate(reason?: string): Promise<unknown> }): Promise<void> {
  await handle.terminate('test done').catch((err: unknown) => {
    if ((err as Error).name !== 'WorkflowNotFoundError') throw err;
  });
}

/**
 * Results are read with a plain client after moving time explicitly with `env.sleep()`.
 * The time-skipping client unlocks skipping for as long as it long-polls a result; on
 * the shared server that has hung under load, and an idle flywheel (no timer) gets skipped
 * to its 10-year execution timeout. Explicit sleeps keep the clock under the test's control.
 */
export function resultReader(env: { connection: Connection; namespace?: string }) {
  const client = new Client({ connection: env.connection, ...(env.namespace ? { namespace: env.namespace } : {}) });
  return <T>(workflowId: string): Promise<T> => client.workflow.getHandle(workflowId).result() as Promise<T>;
}
