import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ProfileIntegrityError } from './errors.js';
import { readSnapshotManifest, SNAPSHOT_FILES } from './snapshot-store.js';

/**
 * The reference profile stored beside a snapshot's data, read as bytes so that what is
 * hashed at registration is exactly what every later reader checks.
 */

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** `<snapshotRoot>/<snapshotId>/reference-profile.json`; null for an id that is not one path segment. */
export function referenceProfilePath(snapshotRoot: string, snapshotId: string): string | null {
  if (snapshotId === '' || snapshotId === '.' || snapshotId === '..' || path.basename(snapshotId) !== snapshotId)
    return null;
  return path.join(snapshotRoot, snapshotId, SNAPSHOT_FILES.profile);
}

async function readBytes(file: string | null): Promise<Buffer | null> {
  if (file === null) return null;
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * sha256 of the stored profile's bytes, for registration to record; null when the snapshot
 * has none. Checked against the hash the snapshot's manifest took when the profile was
 * written (snapshots written before that have none), so a registry record never vouches for
 * a profile changed in between.
 * @throws ProfileIntegrityError when the bytes differ from what the snapshot wrote
 */
export async function storedProfileSha256(snapshotRoot: string, snapshotId: string): Promise<string | null> {
  const file = referenceProfilePath(snapshotRoot, snapshotId);
  const bytes = await readBytes(file);
  if (file === null || bytes === null) return null;
  const actual = sha256(bytes);
  // No readable manifest: not a complete snapshot, nothing recorded to check against.
  const written = (await readSnapshotManifest(path.dirname(file)).catch(() => null))?.fileSha256.profile;
  if (written !== undefined && written !== actual)
    throw new ProfileIntegrityError(`snapshot ${snapshotId}`, written, actual, file, 'its snapshot manifest');
  return actual;
}

export type StoredProfile = { readonly text: string; readonly path: string } | { readonly missing: string };

/**
 * The stored profile's text, checked against `expectedSha256` when one was recorded.
 * @throws ProfileIntegrityError when the bytes hash to anything else
 */
export async function readStoredProfile(
  snapshotRoot: string,
  snapshotId: string,
  owner: string,
  expectedSha256: string | undefined,
): Promise<StoredProfile> {
  const file = referenceProfilePath(snapshotRoot, snapshotId);
  const bytes = await readBytes(file);
  if (file === null || bytes === null)
    return { missing: file ?? path.join(snapshotRoot, snapshotId, SNAPSHOT_FILES.profile) };
  if (expectedSha256 !== undefined) {
    const actual = sha256(bytes);
    if (actual !== expectedSha256) throw new ProfileIntegrityError(owner, expectedSha256, actual, file);
  }
  return { text: bytes.toString('utf8'), path: file };
}
