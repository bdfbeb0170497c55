import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RegistryLockTimeoutError, type LocalModelRegistry } from '../../../src/adapters/registry/index.js';
import { createActivities } from '../../../src/activities/create-activities.js';
import { toApplicationFailure } from '../../../src/activities/errors.js';
import { FailureType } from '../../../src/domain/failure-types.js';
import { localActivityDeps } from '../../support/local-activity-deps.js';
import { sampleLineage } from '../../support/sample-lineage.js';
import type { VersionChange } from '../../../src/domain/records/version-changes.js';

let root: string;
let registry: LocalModelRegistry;
let deps: ReturnType<typeof localActivityDeps>;
let acts: ReturnType<typeof createActivities>;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'acts-'));
  deps = localActivityDeps(root);
  registry = deps.registry;
  acts = createActivities(deps);
});
afterEach(async () => {
  await deps.close();
  await rm(root, { recursive: true, force: true });
});

const AT = '2026-12-01T06:00:00Z';

/** Registers a candidate of `sea` for cycle `cycle` (the same bytes each time). */
const registerSea = async (cycle: number) => {
  const { sha256 } = await registry.putArtifact(new TextEncoder().encode('{"m":1}'));
  await acts.registerCandidate({
    modelId: 'sea',
    cycleId: `flywheel:sea:cycle:${cycle}`,
    artifactSha256: sha256,
    lineage: sampleLineage(),
  });
};

const failureOf = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
};

describe('registry and serving activities', () => {
  it('register → champion → stage → rollout, and a retried registration returns the same version', async () => {
    const { sha256 } = await registry.putArtifact(new TextEncoder().encode('{"m":1}'));
    const input = { modelId: 'sea', cycleId: 'flywheel:sea:cycle:1', artifactSha256: sha256, lineage: sampleLineage() };
    expect(await acts.registerCandidate(input)).toEqual({ version: 1, created: true });
    expect(await acts.registerCandidate(input)).toEqual({ version: 1, created: false });
    expect(await acts.getChampion('sea')).toBeNull();
    expect(await acts.applyVersionEvent({ modelId: 'sea', version: 1, event: 'approved', by: 'flywheel' })).toEqual({
      stage: 'approved',
      changed: true,
    });
    expect(await acts.applyVersionEvent({ modelId: 'sea', version: 1, event: 'promoted', by: 'rollout' })).toEqual({
      stage: 'production',
      changed: true,
    });
    expect(await acts.applyVersionEvent({ modelId: 'sea', version: 1, event: 'promoted', by: 'rollout' })).toEqual({
      stage: 'production',
      changed: false,
    });
    await acts.recordRolloutOutcome({
      modelId: 'sea',
      version: 1,
      outcome: { outcome: 'completed', at: '2026-11-22T12:00:00Z' },
    });
    expect(await acts.getChampion('sea')).toEqual({
      version: 1,
      artifactSha256: sha256,
      snapshotId: 'snap-2026-11-01',
    });
    expect((await acts.getVersion({ modelId: 'sea', version: 1 })).stage).toBe('production');
  });

  it("writes one step's records in one call, in order, and a retry of the whole list changes nothing", async () => {
    for (const cycle of [1, 2]) await registerSea(cycle);
    await acts.applyVersionEvent({ modelId: 'sea', version: 1, event: 'approved', by: 'flywheel' });
    await acts.applyVersionEvent({ modelId: 'sea', version: 1, event: 'promoted', by: 'rollout' });
    // One step's writes each: the approval with its event, then the rollout outcome with the promotion and the replacement.
    const approval: VersionChange[] = [
      { kind: 'approval', version: 2, approval: { decision: 'autoApproved', by: 'flywheel', at: AT } },
      { kind: 'event', version: 2, event: 'approved', by: 'flywheel', reason: 'policy: auto' },
    ];
    const finalize: VersionChange[] = [
      { kind: 'rolloutOutcome', version: 2, outcome: { outcome: 'completed', at: AT, reasons: ['direct rollout'] } },
      { kind: 'event', version: 2, event: 'promoted', by: 'rollout' },
      { kind: 'event', version: 1, event: 'replaced', by: 'flywheel', reason: 'replaced by v2' },
    ];
    for (const changes of [approval, approval]) await acts.recordVersionChanges({ modelId: 'sea', changes });
    await acts.applyVersionEvent({ modelId: 'sea', version: 2, event: 'rolloutStarted', by: 'flywheel' });
    for (const changes of [finalize, finalize]) await acts.recordVersionChanges({ modelId: 'sea', changes });
    const [v1, v2] = [await registry.getVersion('sea', 1), await registry.getVersion('sea', 2)];
    expect(v1.stage).toBe('archived');
    expect(v2).toMatchObject({
      stage: 'production',
      approval: { decision: 'autoApproved', by: 'flywheel' },
      rollout: { outcome: 'completed', reasons: ['direct rollout'] },
    });
    expect((await registry.getAliases('sea')).aliases).toEqual({ champion: 2 });
  });

  it('refuses two lifecycle events of one version in one call, naming the field, before writing anything', async () => {
    await registerSea(1);
    const f = await failureOf(
      acts.recordVersionChanges({
        modelId: 'sea',
        changes: [
          { kind: 'event', version: 1, event: 'approved', by: 'flywheel' },
          { kind: 'event', version: 1, event: 'rolloutStarted', by: 'flywheel' },
        ],
      }),
    );
    expect(f).toMatchObject({ type: FailureType.InvalidInput, nonRetryable: true });
    expect(f.message).toMatch(/changes\.1\.event: a second lifecycle event of v1 in one call/);
    expect((await registry.getVersion('sea', 1)).stage).toBe('candidate');
    const empty = await failureOf(acts.recordVersionChanges({ modelId: 'sea', changes: [] }));
    expect(empty.message).toMatch(/changes: changes must name at least one write/);
  });

  it('applies the bare stage and alias writes of older histories through the lifecycle', async () => {
    await registerSea(1);
    await acts.setStage({ modelId: 'sea', version: 1, stage: 'approved', by: 'flywheel' });
    await acts.setAlias({ modelId: 'sea', alias: 'challenger', version: 1 });
    await acts.setStage({ modelId: 'sea', version: 1, stage: 'production', by: 'rollout' });
    await acts.setAlias({ modelId: 'sea', alias: 'champion', version: 1 });
    expect((await registry.getAliases('sea')).aliases).toEqual({ champion: 1 });
    // What a cancel after promotion did in the old code: now refused, and no retry can change that.
    const late = await failureOf(
      acts.setStage({ modelId: 'sea', version: 1, stage: 'rolled_back', by: 'flywheel', reason: 'cycle cancelled' }),
    );
    expect(late).toMatchObject({
      type: FailureType.IllegalVersionTransition,
      nonRetryable: true,
      details: [{ modelId: 'sea', version: 1, stage: 'production', event: 'setStage rolled_back' }],
    });
    expect((await registry.getVersion('sea', 1)).stage).toBe('production');
  });

  it('refuses bad input as a non-retryable InvalidInput naming the field', async () => {
    const f = await failureOf(
      acts.registerCandidate({ modelId: 'sea', cycleId: 'c', artifactSha256: 'xyz', lineage: sampleLineage() }),
    );
    expect(f).toMatchObject({ type: FailureType.InvalidInput, nonRetryable: true });
    expect(f.message).toBe(
      'registerCandidate: invalid input: artifactSha256: sha256 must be 64 lowercase hex characters',
    );
    const r = await failureOf(
      acts.setRouting({ modelId: 'sea', routing: { championVersion: 1, canary: { version: 2, weight: 2 } } }),
    );
    expect(r.message).toMatch(/routing\.canary\.weight/);
  });

  it('maps registry and serving errors to searchable failure types', async () => {
    const missing = await failureOf(
      acts.registerCandidate({
        modelId: 'sea',
        cycleId: 'c',
        artifactSha256: 'a'.repeat(64),
        lineage: sampleLineage(),
      }),
    );
    expect(missing).toMatchObject({
      type: FailureType.ArtifactNotFound,
      nonRetryable: true,
      details: [{ sha256: 'a'.repeat(64) }],
    });
    const noVersion = await failureOf(acts.setStage({ modelId: 'sea', version: 7, stage: 'approved' }));
    expect(noVersion).toMatchObject({ type: FailureType.VersionNotFound, message: 'model sea has no version 7' });
    await acts.setRouting({ modelId: 'sea', routing: { championVersion: 1 } });
    const conflict = await failureOf(
      acts.setRouting({ modelId: 'sea', routing: { championVersion: 2 }, expectedRevision: 0 }),
    );
    expect(conflict).toMatchObject({
      type: FailureType.RoutingConflict,
      nonRetryable: true,
      details: [{ expectedRevision: 0, actualRevision: 1 }],
    });
  });

  it('keeps transient errors retryable', () => {
    expect(toApplicationFailure(new RegistryLockTimeoutError('busy'))).toMatchObject({
      type: FailureType.RegistryBusy,
      nonRetryable: false,
    });
    expect(toApplicationFailure(new TypeError('boom'))).toMatchObject({
      type: 'TypeError',
      nonRetryable: false,
      message: 'boom',
    });
  });
});
