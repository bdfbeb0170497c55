import { readFile } from 'node:fs/promises';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { useLocalActivities } from '../../support/local-activity-deps.js';
import { seaSpec } from '../../support/lifecycle-fixtures.js';
import { registerOnSnapshot, sha256Of, tamperProfile } from '../../support/profile-fixtures.js';
import { sampleLineage } from '../../support/sample-lineage.js';

const local = useLocalActivities('profile-sha-');

const spec = seaSpec({ dataSource: { kind: 'synthetic', generator: { name: 'sea' }, rowsPerWindow: 400 } });

describe('registration ties the reference profile to the version', () => {
  it('records the sha256 of the stored profile bytes in the version lineage', async () => {
    const { version, snapshot } = await registerOnSnapshot(
      local.acts,
      local.deps.registry,
      spec,
      'flywheel:sea:cycle:1',
      1,
    );
    const stored = await local.deps.registry.getVersion(spec.id, version);
    expect(stored.lineage.dataset.profileSha256).toBe(sha256Of(await readFile(snapshot.profilePath)));
  });

  it('refuses to register on a profile changed since its snapshot was written, naming the snapshot and both hashes', async () => {
    const snapshot = await local.acts.snapshotData({ spec, cycleId: 'c-tampered', window: 1 });
    const { before, after } = await tamperProfile(snapshot);
    const { sha256 } = await local.deps.registry.putArtifact(new TextEncoder().encode('{}'));
    const lineage = sampleLineage({ dataset: { snapshotId: snapshot.snapshotId, sha256: snapshot.sha256 } });
    const err = await local.acts
      .registerCandidate({ modelId: spec.id, cycleId: 'c-tampered', artifactSha256: sha256, lineage })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'ProfileIntegrity', nonRetryable: true });
    expect((err as ApplicationFailure).message).toContain(`snapshot ${snapshot.snapshotId}`);
    expect((err as ApplicationFailure).message).toContain(before);
    expect((err as ApplicationFailure).message).toContain(after);
    expect(await local.deps.registry.listVersions(spec.id)).toEqual([]);
  });

  it('registers without a profile sha when the snapshot has no stored profile (nothing to tie)', async () => {
    const { sha256 } = await local.deps.registry.putArtifact(new TextEncoder().encode('{}'));
    const { version } = await local.acts.registerCandidate({
      modelId: spec.id,
      cycleId: 'c-none',
      artifactSha256: sha256,
      lineage: sampleLineage(),
    });
    expect((await local.deps.registry.getVersion(spec.id, version)).lineage.dataset).not.toHaveProperty(
      'profileSha256',
    );
  });
});
