import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { expect } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import type { SnapshotRef } from '../../src/domain/records/snapshot-ref.js';
import type { createActivities } from '../../src/activities/create-activities.js';
import type { ModelSpec } from '../../src/domain/model-spec/model-spec.js';
import type { LocalModelRegistry } from '../../src/adapters/registry/index.js';
import { sampleLineage } from './sample-lineage.js';

type Activities = ReturnType<typeof createActivities>;

export const sha256Of = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** Snapshots `spec`'s window and registers a version trained on it the way a cycle does (through `registerCandidate`). */
export async function registerOnSnapshot(
  acts: Activities,
  registry: LocalModelRegistry,
  spec: ModelSpec,
  cycleId: string,
  window: number,
): Promise<{ version: number; snapshot: SnapshotRef }> {
  const snapshot = await acts.snapshotData({ spec, cycleId, window });
  const { sha256 } = await registry.putArtifact(new TextEncoder().encode(`{"cycle":"${cycleId}"}`));
  const { version } = await acts.registerCandidate({
    modelId: spec.id,
    cycleId,
    artifactSha256: sha256,
    lineage: sampleLineage({
      dataset: { snapshotId: snapshot.snapshotId, sha256: snapshot.sha256, rowCount: snapshot.rowCount },
    }),
  });
  return { version, snapshot };
}

/**
 * Registers a version on `snapshot` straight through the registry, as a record written before
 * registration hashed reference profiles looks: its lineage has no `profileSha256`.
 */
export async function registerWithoutProfileSha(
  registry: LocalModelRegistry,
  modelId: string,
  cycleId: string,
  snapshot: SnapshotRef,
): Promise<number> {
  const { sha256 } = await registry.putArtifact(new TextEncoder().encode(`{"legacy":"${cycleId}"}`));
  const r = await registry.registerVersion({
    modelId,
    cycleId,
    artifactSha256: sha256,
    lineage: sampleLineage({ dataset: { snapshotId: snapshot.snapshotId, sha256: snapshot.sha256 } }),
  });
  return r.version.version;
}

/** Rewrites a stored profile with the same content in other bytes (indented JSON): it still parses, but it is not what was registered. */
export async function tamperProfile(snapshot: SnapshotRef): Promise<{ before: string; after: string }> {
  const bytes = await readFile(snapshot.profilePath);
  const tampered = `${JSON.stringify(JSON.parse(bytes.toString('utf8')), null, 1)}\n`;
  await writeFile(snapshot.profilePath, tampered);
  return { before: sha256Of(bytes), after: sha256Of(tampered) };
}

/** What a promise rejected with (null when it resolved). */
export const failureOf = (p: Promise<unknown>): Promise<unknown> =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

/** A tampered reference profile is refused permanently, naming the version and both hashes. */
export function expectProfileIntegrityFailure(
  err: unknown,
  versionName: string,
  hashes: { before: string; after: string },
): void {
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect(err).toMatchObject({ type: 'ProfileIntegrity', nonRetryable: true });
  const message = (err as ApplicationFailure).message;
  expect(message).toContain(versionName);
  expect(message).toContain(hashes.before);
  expect(message).toContain(hashes.after);
}
