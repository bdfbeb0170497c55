import { readFile, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActivities } from '../../../src/activities/create-activities.js';
import { localActivityDeps } from '../../support/local-activity-deps.js';
import { seaSpec } from '../../support/lifecycle-fixtures.js';
import { registerOnSnapshot, sha256Of } from '../../support/profile-fixtures.js';
import { sampleLineage } from '../../support/sample-lineage.js';

let root: string;
let deps: ReturnType<typeof localActivityDeps>;
let acts: ReturnType<typeof createActivities>;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'profile-sha-'));
  deps = localActivityDeps(root);
  acts = createActivities(deps);
});
afterEach(async () => {
  await deps.close();
  await rm(root, { recursive: true, force: true });
});

const spec = seaSpec({ dataSource: { kind: 'synthetic', generator: { name: 'sea' }, rowsPerWindow: 400 } });

describe('registration ties the reference profile to the version', () => {
  it('records the sha256 of the stored profile bytes in the version lineage', async () => {
    const { version, snapshot } = await registerOnSnapshot(acts, deps.registry, spec, 'flywheel:sea:cycle:1', 1);
    const stored = await deps.registry.getVersion(spec.id, version);
    expect(stored.lineage.dataset.profileSha256).toBe(sha256Of(await readFile(snapshot.profilePath)));
  });

  it('registers without a profile sha when the snapshot has no stored profile (nothing to tie)', async () => {
    const { sha256 } = await deps.registry.putArtifact(new TextEncoder().encode('{}'));
    const { version } = await acts.registerCandidate({ modelId: spec.id, cycleId: 'c-none', artifactSha256: sha256, lineage: sampleLineage() });
    expect((await deps.registry.getVersion(spec.id, version)).lineage.dataset).not.toHaveProperty('profileSha256');
  });
});
