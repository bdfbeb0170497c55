import type { ModelVersion } from '../../domain/records/index.js';
import type { VersionComparison } from './model-registry.js';

/** What changed from version `a` to version `b`: metrics, data, artifact, hyperparameters. */
export function compareManifests(a: ModelVersion, b: ModelVersion): VersionComparison {
  const metricDeltas: Record<string, number> = {};
  for (const [k, vb] of Object.entries(b.lineage.metrics.heldOut)) {
    const va = a.lineage.metrics.heldOut[k];
    if (va !== undefined) metricDeltas[k] = vb - va;
  }
  const ha = a.lineage.trainer.hyperparameters;
  const hb = b.lineage.trainer.hyperparameters;
  const hyperparameterChanges: Record<string, { a: unknown; b: unknown }> = {};
  for (const k of new Set([...Object.keys(ha), ...Object.keys(hb)])) {
    if (JSON.stringify(ha[k]) !== JSON.stringify(hb[k])) hyperparameterChanges[k] = { a: ha[k], b: hb[k] };
  }
  return {
    a,
    b,
    metricDeltas,
    sameArtifact: a.artifact.sha256 === b.artifact.sha256,
    sameDataset: a.lineage.dataset.sha256 === b.lineage.dataset.sha256,
    hyperparameterChanges,
  };
}
