import { readStoredProfile } from '../adapters/data-sources/reference-profile-file.js';
import type { ModelVersion } from '../domain/records/model-version.js';
import { parseReferenceProfile, type ReferenceProfile } from '../stats/drift/reference-profile.js';

export type VersionProfile =
  { readonly profile: ReferenceProfile; readonly path: string } | { readonly missing: string };

import { activityWarn as warn } from './activity-log.js';

/**
 * Reads a model version's reference profile the one way every reader must: its bytes are
 * checked against the sha256 the version recorded at registration before they are parsed
 * (a mismatch throws ProfileIntegrityError naming the version and both hashes). Versions
 * registered before profiles were hashed have no sha to check: their profile is read as it
 * is, and that is logged once per version by this reader rather than at every check.
 */
export function createVersionProfileReader(snapshotRoot: string) {
  const unchecked = new Set<string>();
  return async function readVersionProfile(version: ModelVersion): Promise<VersionProfile> {
    const owner = `${version.modelId} v${version.version}`;
    const { snapshotId, profileSha256 } = version.lineage.dataset;
    const stored = await readStoredProfile(snapshotRoot, snapshotId, owner, profileSha256);
    if ('missing' in stored) return stored;
    if (profileSha256 === undefined && !unchecked.has(owner)) {
      unchecked.add(owner);
      warn(`${owner} was registered with no profile sha256: its reference profile is read unchecked`, {
        modelId: version.modelId,
        version: version.version,
        path: stored.path,
      });
    }
    return { profile: parseReferenceProfile(stored.text), path: stored.path };
  };
}
