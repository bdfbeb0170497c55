import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelRegistry } from '../../../src/adapters/registry/index.js';
import {
  LINEAR_MODEL_FORMAT,
  serializeLinearModel,
  type LinearModel,
} from '../../../src/domain/model-format/linear-model.js';
import { sampleLineage } from '../../support/sample-lineage.js';

/** A one-feature classifier: `slope` > 0 says 1 for large x, < 0 says 1 for small x. */
export function classifier(slope: number, extra: Partial<LinearModel> = {}): LinearModel {
  return {
    format: LINEAR_MODEL_FORMAT,
    task: 'binaryClassification',
    label: 'y',
    features: [
      { name: 'x', kind: 'numeric', mean: 0, std: 1, weight: slope },
      { name: 'plan', kind: 'categorical', categories: ['basic', 'pro'], weights: [0, 0.5] },
    ],
    intercept: 0,
    metadata: {},
    ...extra,
  };
}

/** Registers a model version in a real on-disk registry; returns its version number and sha. */
export async function registerModel(registry: ModelRegistry, modelId: string, model: LinearModel, cycle: string) {
  const ref = await registry.putArtifact(new TextEncoder().encode(serializeLinearModel(model)));
  const { version } = await registry.registerVersion({
    modelId,
    cycleId: cycle,
    artifactSha256: ref.sha256,
    lineage: sampleLineage({ cycle: { workflowId: `flywheel:${modelId}:cycle:${cycle}`, runId: 'r' } }),
  });
  return { version: version.version, sha256: ref.sha256 };
}

/**
 * Tampers with a stored artifact the way an attacker would: the file is still a valid
 * model (one weight changed), so only the sha256 check can notice.
 */
export async function tamperArtifact(root: string, sha256: string): Promise<void> {
  const path = join(root, 'blobs', 'sha256', sha256.slice(0, 2), sha256);
  const model = JSON.parse(await readFile(path, 'utf8')) as LinearModel;
  const first = model.features[0];
  if (first?.kind === 'numeric') first.weight = -first.weight * 10;
  await writeFile(path, serializeLinearModel(model));
}
