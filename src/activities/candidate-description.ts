import path from 'node:path';
import { readSnapshotManifest } from '../adapters/data-sources/snapshot-store.js';
import { referenceProfilePath } from '../adapters/data-sources/reference-profile-file.js';
import { describeArtifact } from '../adapters/model-formats/index.js';
import type { ModelRegistry } from '../adapters/registry/model-registry.js';
import { ModelFormatError } from '../domain/model-format/linear-model.js';
import { detectModelFormat, ModelFormatId, type ModelDescription } from '../domain/model-format/model-description.js';

/** The task and features of the snapshot a candidate was trained on; null when it cannot be read. */
async function snapshotSchema(snapshotRoot: string | undefined, snapshotId: string) {
  // referenceProfilePath is null for an id that is not one path segment: never read outside the root.
  if (snapshotRoot === undefined || referenceProfilePath(snapshotRoot, snapshotId) === null) return null;
  return readSnapshotManifest(path.join(snapshotRoot, snapshotId)).catch(() => null);
}

/**
 * What registration records about a candidate's artifact (`lineage.model`), checked against
 * the schema of the snapshot it was trained on. An ONNX model that does not fit the spec's
 * features and task is refused here (ModelFormatError naming the input or output), before
 * any version points at it. A linear artifact that does not parse is registered without a
 * description, as before formats were recorded: the rollout's serviceability check refuses
 * it before traffic, as it always did.
 */
export async function describeCandidate(
  registry: Pick<ModelRegistry, 'getArtifact'>,
  sha256: string,
  snapshotRoot: string | undefined,
  snapshotId: string,
): Promise<ModelDescription | null> {
  const bytes = await registry.getArtifact(sha256);
  const schema = await snapshotSchema(snapshotRoot, snapshotId);
  try {
    return await describeArtifact({
      bytes,
      sha256,
      ...(schema ? { features: schema.features, task: schema.task } : {}),
    });
  } catch (err) {
    if (err instanceof ModelFormatError && detectModelFormat(bytes) === ModelFormatId.linear) return null;
    throw err;
  }
}
