import type { FeatureSchema } from '../../../domain/features.js';
import type { LinearModel } from '../../../domain/model-format/linear-model.js';
import type { Table } from '../../../stats/table.js';

/** How raw features map to the columns of the design matrix; fitted on the training rows. */
export type EncodedFeature =
  | {
      readonly name: string;
      readonly kind: 'numeric';
      readonly mean: number;
      readonly std: number;
      readonly offset: number;
    }
  | {
      readonly name: string;
      readonly kind: 'categorical';
      readonly categories: readonly string[];
      readonly offset: number;
    };

export interface Encoder {
  readonly features: readonly EncodedFeature[];
  /** Number of design-matrix columns. */
  readonly width: number;
}

/**
 * Fits standardization (mean, population std; 1 for constant columns, like scikit-learn's
 * StandardScaler) and one-hot categories (sorted, so the encoding is deterministic).
 */
export function fitEncoder(table: Table, features: FeatureSchema): Encoder {
  let offset = 0;
  const encoded = features.map((f): EncodedFeature => {
    const column = table.columns[f.name];
    if (f.type === 'numeric') {
      const values = column?.kind === 'numeric' ? column.values : new Float64Array();
      const present = values.filter((v) => Number.isFinite(v));
      const n = present.length;
      const mean = n > 0 ? present.reduce((a, b) => a + b, 0) / n : 0;
      const sq = present.reduce((a, v) => a + (v - mean) ** 2, 0);
      const std = n > 0 && sq > 0 ? Math.sqrt(sq / n) : 1;
      return { name: f.name, kind: 'numeric', mean, std, offset: offset++ };
    }
    const seen = new Set<string>();
    for (const v of column?.values ?? []) {
      if (v !== null && v !== undefined && !(typeof v === 'number' && Number.isNaN(v))) seen.add(String(v));
    }
    const categories = [...seen].sort();
    const start = offset;
    offset += categories.length;
    return { name: f.name, kind: 'categorical', categories, offset: start };
  });
  return { features: encoded, width: offset };
}

/** Row-major design matrix (rowCount × width); missing numeric → 0 (the mean), unseen category → all zeros. */
export function encode(encoder: Encoder, table: Table): Float64Array {
  const { width } = encoder;
  const x = new Float64Array(table.rowCount * width);
  for (const f of encoder.features) {
    const column = table.columns[f.name];
    if (!column) continue;
    if (f.kind === 'numeric') {
      for (let r = 0; r < table.rowCount; r++) {
        const v = Number(column.values[r]);
        if (Number.isFinite(v)) x[r * width + f.offset] = (v - f.mean) / f.std;
      }
    } else {
      const index = new Map(f.categories.map((c, i) => [c, i] as const));
      for (let r = 0; r < table.rowCount; r++) {
        const v = column.values[r];
        const i = v === null || v === undefined ? undefined : index.get(String(v));
        if (i !== undefined) x[r * width + f.offset + i] = 1;
      }
    }
  }
  return x;
}

/** The model-format terms for weights in this encoding. */
export function toModelTerms(encoder: Encoder, weights: Float64Array): LinearModel['features'] {
  return encoder.features.map((f) =>
    f.kind === 'numeric'
      ? { name: f.name, kind: 'numeric', mean: f.mean, std: f.std, weight: weights[f.offset] ?? 0 }
      : {
          name: f.name,
          kind: 'categorical',
          categories: [...f.categories],
          weights: f.categories.map((_, i) => weights[f.offset + i] ?? 0),
        },
  );
}

/**
 * Re-expresses a previous model in this encoding without changing its predictions (except
 * for missing values): the starting point of a fine-tune.
 */
export function warmStartFrom(encoder: Encoder, previous: LinearModel): { weights: Float64Array; intercept: number } {
  const weights = new Float64Array(encoder.width);
  let intercept = previous.intercept;
  for (const f of encoder.features) {
    const old = previous.features.find((t) => t.name === f.name);
    if (!old) continue;
    if (f.kind === 'numeric' && old.kind === 'numeric') {
      // w'(x − m')/s' = (w'·s/s')·(x − m)/s + w'(m − m')/s'
      weights[f.offset] = (old.weight * f.std) / old.std;
      intercept += (old.weight * (f.mean - old.mean)) / old.std;
    } else if (f.kind === 'categorical' && old.kind === 'categorical') {
      f.categories.forEach((c, i) => {
        const j = old.categories.indexOf(c);
        if (j >= 0) weights[f.offset + i] = old.weights[j] ?? 0;
      });
    }
  }
  return { weights, intercept };
}
