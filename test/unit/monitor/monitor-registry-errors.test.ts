import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryLockTimeoutError } from '../../../src/adapters/registry/registry-errors.js';
import { createActivities } from '../../../src/activities/create-activities.js';
import { localActivityDeps } from '../../support/local-activity-deps.js';
import { inspectionInput } from '../../support/monitor-inspection.js';

let root: string;
let deps: ReturnType<typeof localActivityDeps>;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'monitor-registry-'));
  deps = localActivityDeps(root);
});
afterEach(async () => {
  await deps.close();
  await rm(root, { recursive: true, force: true });
});

const inspect = (acts: ReturnType<typeof createActivities>) =>
  new MockActivityEnvironment().run(acts.inspectProduction, inspectionInput('m')).then(
    () => null,
    (e: unknown) => e,
  );

describe('the monitor tells a missing champion from a registry it cannot read now', () => {
  it('routing to a version the registry lacks is a non-retryable VersionNotFound', async () => {
    await deps.servingState.setRouting('m', { championVersion: 7 });
    expect(await inspect(createActivities(deps))).toMatchObject({ type: 'VersionNotFound', nonRetryable: true });
  });

  it('a busy registry is a retryable RegistryBusy, not VersionNotFound', async () => {
    await deps.servingState.setRouting('m', { championVersion: 7 });
    const busy = Object.assign(Object.create(deps.registry) as typeof deps.registry, {
      getVersion: () => Promise.reject(new RegistryLockTimeoutError('model lock held for 30 s')),
    });
    expect(await inspect(createActivities({ ...deps, registry: busy }))).toMatchObject({
      type: 'RegistryBusy',
      nonRetryable: false,
    });
  });
});
