import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { timeSkippingEnv } from '../../support/time-skipping-env.js';
import { bundleWorkflows } from './bundle.js';
import { Harness } from './harness.js';

export interface HarnessContext {
  readonly env: TestWorkflowEnvironment;
  readonly h: Harness;
}

/**
 * Registers the lifecycle every flywheel workflow test file shares: one time-skipping server
 * (test/support/time-skipping-env.ts) and one workflow bundle per file, a fresh Harness (temp-dir
 * adapters, unique task queue) per test, everything closed afterwards. Read `ctx.env` and
 * `ctx.h` inside tests (they are set by the hooks).
 */
export function useHarness(): HarnessContext {
  let env: TestWorkflowEnvironment | undefined;
  let bundle: WorkflowBundleWithSourceMap | undefined;
  let h: Harness | undefined;
  beforeAll(async () => {
    env = await timeSkippingEnv();
    bundle = await bundleWorkflows();
  });
  afterAll(async () => {
    await env?.teardown();
  });
  beforeEach(() => {
    h = new Harness(ready(env, 'env'), ready(bundle, 'bundle'));
  });
  afterEach(async () => {
    await h?.close();
  });
  return {
    get env() {
      return ready(env, 'env');
    },
    get h() {
      return ready(h, 'harness');
    },
  };
}

function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`test ${what} is not ready: use it inside a test, not at module level`);
  return value;
}
