import type { LinearModel } from './linear-model.js';

/** One row of input: feature name → value. Missing, null or NaN values are allowed. */
export type FeatureRow = Readonly<Record<string, unknown>>;

/**
 * Structural twin of src/stats/table.ts `Table` (domain may not import stats): columnar,
 * numeric columns as Float64Array with NaN = missing, categorical as (string|null)[].
 */
export interface ColumnarRows {
  readonly rowCount: number;
  readonly columns: Readonly<
    Record<
      string,
      | { readonly kind: 'numeric'; readonly values: Float64Array }
      | { readonly kind: 'categorical'; readonly values: ReadonlyArray<string | null> }
    >
  >;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** A request value as a number: numbers as they are, booleans as 1/0, numeric strings parsed; anything else NaN (missing). */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

/** The linear score (log-odds for classification, the prediction for regression). */
export function linearScore(model: LinearModel, row: FeatureRow): number {
  let z = model.intercept;
  for (const term of model.features) {
    const value = row[term.name];
    if (term.kind === 'numeric') {
      const x = toNumber(value);
      if (Number.isFinite(x)) z += (term.weight * (x - term.mean)) / term.std;
    } else if (value !== null && value !== undefined) {
      const i = term.categories.indexOf(String(value));
      if (i >= 0) z += term.weights[i] ?? 0;
    }
  }
  return z;
}

/**
 * Probability of the positive class (label 1) for a binary classifier.
 * @throws Error when the model is a regression model (use `predict`).
 */
export function predictProba(model: LinearModel, row: FeatureRow): number {
  if (model.task !== 'binaryClassification') {
    throw new Error(`predictProba needs a binaryClassification model; this one is ${model.task}: use predict()`);
  }
  return sigmoid(linearScore(model, row));
}

/** The model's answer: 0/1 for a binary classifier (probability >= labelThreshold), the value for regression. */
export function predict(model: LinearModel, row: FeatureRow): number {
  if (model.task === 'regression') return linearScore(model, row);
  return predictProba(model, row) >= (model.labelThreshold ?? 0.5) ? 1 : 0;
}

/**
 * Scores every row of a columnar table: probabilities for a classifier, predictions for a
 * regression model. Used by the evaluation gate on held-out rows.
 */
export function scoreColumns(model: LinearModel, rows: ColumnarRows): Float64Array {
  const z = new Float64Array(rows.rowCount).fill(model.intercept);
  for (const term of model.features) {
    const column = rows.columns[term.name];
    if (!column) continue; // absent column = every value missing = contributes 0
    if (term.kind === 'numeric') {
      if (column.kind !== 'numeric') throw new Error(`Column "${term.name}" must be numeric for this model`);
      for (let r = 0; r < rows.rowCount; r++) {
        const x = column.values[r] ?? Number.NaN;
        if (Number.isFinite(x)) z[r] = (z[r] ?? 0) + (term.weight * (x - term.mean)) / term.std;
      }
    } else {
      const index = new Map(term.categories.map((c, i) => [c, term.weights[i] ?? 0] as const));
      for (let r = 0; r < rows.rowCount; r++) {
        const v = column.values[r];
        const w = v === null || v === undefined ? undefined : index.get(String(v));
        if (w !== undefined) z[r] = (z[r] ?? 0) + w;
      }
    }
  }
  if (model.task === 'binaryClassification') for (let r = 0; r < z.length; r++) z[r] = sigmoid(z[r] ?? 0);
  return z;
}
