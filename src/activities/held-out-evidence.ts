import path from 'node:path';
import { readSnapshotTable } from '../adapters/data-sources/snapshot-store.js';
import { openScorer } from '../adapters/model-formats/index.js';
import { referenceProfilePath } from '../adapters/data-sources/reference-profile-file.js';
import type { FeatureImportance, ProbabilityCalibration } from '../domain/records/index.js';
import { fitIsotonic } from '../stats/calibration/isotonic.js';
import { permutationImportance, type QualityOf } from '../stats/importance/permutation-importance.js';

/** What registration measures on the snapshot's held-out rows and records in the lineage. */
export interface HeldOutEvidence {
  readonly importance?: FeatureImportance;
  readonly calibration?: ProbabilityCalibration;
}

/** Fixed so that a retried registration records the same numbers. */
const IMPORTANCE_SEED = 20_251_130;
const IMPORTANCE_REPEATS = 3;

const accuracyAt =
  (labels: Float64Array, threshold: number): QualityOf =>
  (scores) => {
    let right = 0;
    for (let i = 0; i < scores.length; i++) if ((scores[i]! >= threshold ? 1 : 0) === labels[i]) right++;
    return right / scores.length;
  };

const negativeRmse =
  (labels: Float64Array): QualityOf =>
  (scores) => {
    let sum = 0;
    for (let i = 0; i < scores.length; i++) sum += (scores[i]! - labels[i]!) ** 2;
    return -Math.sqrt(sum / scores.length);
  };

/**
 * Permutation importance of every feature the model reads (accuracy drop for a classifier,
 * RMSE rise for a regressor) and, for a binary classifier, the isotonic calibration of its
 * P(class 1), both on the snapshot's held-out rows and through the same scorer that serves.
 * Null when there is no snapshot to read (no snapshot root, or an id that is not one path
 * segment). Deterministic: a retry records the same evidence.
 */
export async function measureHeldOutEvidence(input: {
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly snapshotRoot: string | undefined;
  readonly snapshotId: string;
}): Promise<HeldOutEvidence | null> {
  const { snapshotRoot, snapshotId } = input;
  if (snapshotRoot === undefined || referenceProfilePath(snapshotRoot, snapshotId) === null) return null;
  const { table, manifest } = await readSnapshotTable(path.join(snapshotRoot, snapshotId), 'heldOut');
  const label = table.columns[manifest.label.name];
  if (!label || label.kind !== 'numeric' || table.rowCount < 2) return null;
  const scorer = await openScorer({
    bytes: input.bytes,
    sha256: input.sha256,
    features: manifest.features,
    task: manifest.task,
  });
  const binary = manifest.task === 'binaryClassification';
  const importance = await permutationImportance({
    rows: table,
    features: scorer.features.map((f) => f.name),
    score: (rows) => scorer.score(rows),
    quality: binary ? accuracyAt(label.values, scorer.labelThreshold) : negativeRmse(label.values),
    repeats: IMPORTANCE_REPEATS,
    seed: IMPORTANCE_SEED,
  });
  if (!binary) return { importance: { method: 'permutation', byFeature: importance.normalised } };
  const curve = fitIsotonic(
    await scorer.score(table),
    Uint8Array.from(label.values, (v) => (v === 1 ? 1 : 0)),
  );
  return {
    importance: { method: 'permutation', byFeature: importance.normalised },
    calibration: { method: 'isotonic', x: [...curve.x], y: [...curve.y], rowCount: table.rowCount },
  };
}
