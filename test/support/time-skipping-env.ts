import { Connection, type ConnectionOptions } from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Runtime, type NativeConnectionOptions } from '@temporalio/worker';
import { inject } from 'vitest';
import './provided-context.js';

/**
 * A real TestWorkflowEnvironment on the run's shared time-skipping server: `client`
 * skips time while awaiting results, `sleep()` skips explicitly, `currentTimeMs()` reads
 * server time. `createFromExistingServer` cannot do this (it never time-skips), so we
 * build the env the way the SDK does, with the test-service-enabled connections.
 */
class SharedTimeSkippingEnvironment extends TestWorkflowEnvironment {
  static async connect(address: string): Promise<TestWorkflowEnvironment> {
    const internal = { [InternalConnectionOptionsSymbol]: { supportsTestService: true } };
    const nativeConnection = await NativeConnection.connect({ address, ...internal } as NativeConnectionOptions);
    const connection = await Connection.connect({ address, ...internal } as ConnectionOptions);
    // 'existing': teardown closes our connections and leaves the shared server running.
    const options: TestWorkflowEnvironment['options'] = { server: { type: 'existing' }, client: {}, plugins: [] };
    return new SharedTimeSkippingEnvironment(Runtime.instance(), options, true, 'existing', connection, nativeConnection, 'default', address);
  }
}

/**
 * Connects to the shared time-skipping server. Use `env.client` for workflows,
 * `env.nativeConnection` for workers, and `await env.teardown()` in afterAll.
 * Time skipping is global to the server: the `temporal` project runs files one at a time.
 */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return SharedTimeSkippingEnvironment.connect(inject('temporalTimeSkippingAddress'));
}
