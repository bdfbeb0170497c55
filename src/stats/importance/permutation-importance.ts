import { createRng, type Rng } from '../random.js';
import { StatsInputError, type Column, type Table } from '../table.js';

/** Scores rows of a table: P(class 1) for a classifier, the value for a regressor (a Scorer's `score`). */
export type TableScorer = (rows: Table) => Promise<Float64Array>;

/** Higher is better: the held-out quality permutation importance measures drops of. */
export type QualityOf = (scores: Float64Array) => number;

export interface PermutationImportanceInput {
  readonly rows: Table;
  /** The features to permute (the model's inputs); other columns are left alone. */
  readonly features: readonly string[];
  readonly score: TableScorer;
  readonly quality: QualityOf;
  /** Shuffles per feature, averaged (default 3). */
  readonly repeats?: number;
  readonly seed?: number;
}

/** Per feature: mean quality drop over repeats (raw, may be negative), and the normalised share. */
export interface PermutationImportance {
  readonly baseline: number;
  readonly drop: Readonly<Record<string, number>>;
  /** max(drop, 0) / Σ max(drop, 0): ≥ 0 and summing to 1, all 0 when no feature matters. */
  readonly normalised: Readonly<Record<string, number>>;
}

function shuffledColumn(column: Column, rng: Rng): Column {
  const order = Uint32Array.from({ length: column.values.length }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  if (column.kind === 'numeric') return { kind: 'numeric', values: Float64Array.from(order, (k) => column.values[k]!) };
  return { kind: 'categorical', values: Array.from(order, (k) => column.values[k] ?? null) };
}

/**
 * Permutation importance (Breiman; scikit-learn's `permutation_importance`) on held-out
 * rows: how much the model's quality falls when one feature's column is shuffled, which
 * breaks its link to the label while keeping its distribution. Works for any scorer, since
 * it only scores rows. A seeded Fisher–Yates shuffle makes it reproducible.
 */
export async function permutationImportance(input: PermutationImportanceInput): Promise<PermutationImportance> {
  const repeats = input.repeats ?? 3;
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new StatsInputError(`permutation importance: repeats must be ≥ 1, got ${repeats}`);
  if (input.rows.rowCount < 2) throw new StatsInputError('permutation importance needs at least 2 held-out rows');
  const rng = createRng(input.seed ?? 1);
  const baseline = input.quality(await input.score(input.rows));
  const drop: Record<string, number> = {};
  for (const feature of input.features) {
    const column = input.rows.columns[feature];
    if (!column) throw new StatsInputError(`permutation importance: held-out rows have no column "${feature}"`);
    let total = 0;
    for (let r = 0; r < repeats; r++) {
      const rows: Table = { ...input.rows, columns: { ...input.rows.columns, [feature]: shuffledColumn(column, rng) } };
      total += baseline - input.quality(await input.score(rows));
    }
    drop[feature] = total / repeats;
  }
  return { baseline, drop, normalised: normaliseShares(drop) };
}

/** Non-negative shares summing to 1 (negative values, noise, count as 0); all 0 when nothing is positive. */
export function normaliseShares(values: Readonly<Record<string, number>>): Record<string, number> {
  const clipped = Object.entries(values).map(([k, v]) => [k, Number.isFinite(v) ? Math.max(0, v) : 0] as const);
  const sum = clipped.reduce((s, [, v]) => s + v, 0);
  return Object.fromEntries(clipped.map(([k, v]) => [k, sum > 0 ? v / sum : 0]));
}
