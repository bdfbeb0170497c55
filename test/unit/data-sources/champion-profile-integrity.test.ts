import { describe, expect, it } from 'vitest';
import { useLocalActivities } from '../../support/local-activity-deps.js';
import { seaSpec } from '../../support/lifecycle-fixtures.js';
import {
  expectProfileIntegrityFailure,
  failureOf,
  registerOnSnapshot,
  registerWithoutProfileSha,
  tamperProfile,
} from '../../support/profile-fixtures.js';

const local = useLocalActivities('champion-profile-');

const spec = seaSpec({ dataSource: { kind: 'synthetic', generator: { name: 'sea' }, rowsPerWindow: 400 } });

describe("validateData compares with the champion's profile only as registered", () => {
  it('refuses a tampered champion profile with a non-retryable failure naming the version and both hashes', async () => {
    const { version, snapshot } = await registerOnSnapshot(
      local.acts,
      local.deps.registry,
      spec,
      'flywheel:sea:cycle:1',
      1,
    );
    const next = await local.acts.snapshotData({ spec, cycleId: 'flywheel:sea:cycle:2', window: 2 });
    expect((await local.acts.validateData({ spec, snapshot: next, championVersion: version })).drift).not.toBeNull();

    const tampered = await tamperProfile(snapshot);
    const err = await failureOf(local.acts.validateData({ spec, snapshot: next, championVersion: version }));
    expectProfileIntegrityFailure(err, `${spec.id} v${version}`, tampered);
  });

  it('still compares with the profile of a champion registered before profiles were hashed', async () => {
    const { snapshot } = await registerOnSnapshot(local.acts, local.deps.registry, spec, 'flywheel:sea:cycle:1', 1);
    await tamperProfile(snapshot);
    const legacy = await registerWithoutProfileSha(local.deps.registry, spec.id, 'legacy-cycle', snapshot);
    const next = await local.acts.snapshotData({ spec, cycleId: 'flywheel:sea:cycle:2', window: 2 });
    const report = await local.acts.validateData({ spec, snapshot: next, championVersion: legacy });
    expect(report.drift?.columns.map((c) => c.column).sort()).toEqual(['f1', 'f2', 'f3']);
  });
});
