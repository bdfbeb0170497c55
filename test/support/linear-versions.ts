import type { LocalModelRegistry } from '../../src/adapters/registry/index.js';
import {
  LINEAR_MODEL_FORMAT,
  serializeLinearModel,
  type LinearModel,
} from '../../src/domain/model-format/linear-model.js';
import { sampleLineage } from './sample-lineage.js';

/**
 * Registers v1 and v2 of `modelId`: two real one-feature linear models of opposite sign
 * (cycles c1 and c2), enough for a rollout to check that its candidate loads and scores.
 */
export async function registerTwoLinearVersions(registry: LocalModelRegistry, modelId: string): Promise<void> {
  for (const [cycle, weight] of [
    ['c1', 1],
    ['c2', -1],
  ] as const) {
    const model: LinearModel = {
      format: LINEAR_MODEL_FORMAT,
      task: 'binaryClassification',
      label: 'y',
      features: [{ name: 'x', kind: 'numeric', mean: 0, std: 1, weight }],
      intercept: 0,
      metadata: {},
    };
    const ref = await registry.putArtifact(new TextEncoder().encode(serializeLinearModel(model)));
    await registry.registerVersion({ modelId, cycleId: cycle, artifactSha256: ref.sha256, lineage: sampleLineage() });
  }
}
