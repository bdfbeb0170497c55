import {
  ModelFormatId,
  type ModelDescription,
  type ModelFeature,
} from '../../../domain/model-format/model-description.js';
import type { LinearModel } from '../../../domain/model-format/linear-model.js';
import type { ScoringRows } from '../../../domain/model-format/onnx-feeds.js';
import { linearScore, predictProba, scoreColumns, type FeatureRow } from '../../../domain/model-format/predict.js';
import type { Scorer } from '../../../domain/model-format/scorer.js';

/** `ct-flywheel/linear-model@1` behind the Scorer port: the same pure functions as before, synchronous per row. */
export class LinearScorer implements Scorer {
  readonly format = ModelFormatId.linear;
  /** Nothing to release: plain JSON in memory. */
  readonly released = false;
  readonly features: readonly ModelFeature[];

  constructor(
    readonly sha256: string,
    readonly model: LinearModel,
  ) {
    this.features = model.features.map((f) => ({ name: f.name, kind: f.kind }));
  }

  get task() {
    return this.model.task;
  }

  get labelThreshold(): number {
    return this.model.labelThreshold ?? 0.5;
  }

  describe(): ModelDescription {
    return {
      format: this.format,
      task: this.task,
      features: [...this.features],
      ...(this.model.labelThreshold === undefined ? {} : { labelThreshold: this.model.labelThreshold }),
    };
  }

  exampleRow(): FeatureRow {
    return Object.fromEntries(
      this.model.features.map((f) => [f.name, f.kind === 'numeric' ? f.mean : (f.categories[0] ?? null)]),
    );
  }

  score(rows: ScoringRows): Promise<Float64Array> {
    if ('rowCount' in rows) return Promise.resolve(scoreColumns(this.model, rows));
    return Promise.resolve(Float64Array.from(rows, (row) => this.scoreRow(row)));
  }

  scoreRow(row: FeatureRow): number {
    return this.model.task === 'binaryClassification' ? predictProba(this.model, row) : linearScore(this.model, row);
  }
}
