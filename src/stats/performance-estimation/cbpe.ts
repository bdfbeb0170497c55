import { createRng } from '../random.js';
import { StatsInputError } from '../table.js';

/**
 * Confidence-based performance estimation (CBPE) for a binary classifier, as NannyML
 * defines it: when the model's probabilities are calibrated, P(y = 1 | x) = p, so every
 * unlabelled row contributes p to the expected true positives (if predicted 1) or false
 * negatives (if predicted 0), and 1 − p to the false positives or true negatives. Sums of
 * those expected cells give expected confusion-matrix metrics; the expected ROC curve
 * walks the rows in order of the model's own score. It sees covariate shift (the rows move
 * to where the model is less sure) but it is blind to concept drift: if P(y | x) changes,
 * the calibrated p are wrong and nothing in the unlabelled window says so.
 */
export interface CbpeInput {
  /** Calibrated P(class 1) per row. */
  readonly calibrated: Float64Array;
  /** The model's own score per row (orders the ROC curve); often the uncalibrated probability. */
  readonly score: Float64Array;
  /** The class the model answered per row (0/1). */
  readonly predicted: Uint8Array;
}

export const CbpeMetric = {
  accuracy: 'accuracy',
  precision: 'precision',
  recall: 'recall',
  f1: 'f1',
  rocAuc: 'rocAuc',
} as const;
export type CbpeMetric = (typeof CbpeMetric)[keyof typeof CbpeMetric];
const METRICS = Object.values(CbpeMetric);

/** An estimated metric and the band the realized value falls in with probability `coverage` if the calibration holds. */
export interface EstimatedMetric {
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

export type CbpeEstimate = Readonly<Record<CbpeMetric, EstimatedMetric | null>> & {
  readonly rowCount: number;
  readonly coverage: number;
};

export interface CbpeOptions {
  /** Label draws for the band (default 200). */
  readonly draws?: number;
  /** Share of the realized metric's distribution the band covers (default 0.95). */
  readonly coverage?: number;
  readonly seed?: number;
}

interface Cells {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

function metricsOfCells(c: Cells): Record<Exclude<CbpeMetric, 'rocAuc'>, number | null> {
  const n = c.tp + c.fp + c.fn + c.tn;
  return {
    accuracy: ratio(c.tp + c.tn, n),
    precision: ratio(c.tp, c.tp + c.fp),
    recall: ratio(c.tp, c.tp + c.fn),
    // NannyML: TP / (TP + (FP + FN) / 2), 0 when nothing is positive at all.
    f1: c.tp + c.fp + c.fn > 0 ? c.tp / (c.tp + 0.5 * (c.fp + c.fn)) : null,
  };
}

/** Expected confusion cells: row i adds p_i to TP or FN and 1 − p_i to FP or TN, by its predicted class. */
function expectedCells(input: CbpeInput, positive: (i: number) => number): Cells {
  const c: Cells = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < input.predicted.length; i++) {
    const p = positive(i);
    if (input.predicted[i] === 1) {
      c.tp += p;
      c.fp += 1 - p;
    } else {
      c.fn += p;
      c.tn += 1 - p;
    }
  }
  return c;
}

/** Row indices by the model's score, highest first (ties keep any order: tied rows share p, so the curve is the same). */
const byScoreDescending = (score: Float64Array): Uint32Array =>
  Uint32Array.from(score.keys()).sort((a, b) => score[b]! - score[a]!);

/** Rounded to 5 decimals, as NannyML rounds the cumulative counts before dividing. */
const round5 = (v: number): number => Math.round(v * 1e5) / 1e5;

/**
 * Area under the ROC curve traced by cumulative positives `positive(i)` along `order`
 * (trapezoids, as sklearn's `auc`): with calibrated p it is NannyML's estimated ROC AUC,
 * with 0/1 labels the realized one (ties aside).
 */
function rocAucAlong(order: Uint32Array, positive: (i: number) => number): number | null {
  let tps = 0;
  let prevTpr = 0;
  let prevFpr = 0;
  let area = 0;
  const tpsAt = new Float64Array(order.length);
  for (let k = 0; k < order.length; k++) {
    tps += positive(order[k]!);
    tpsAt[k] = tps;
  }
  const totalTp = round5(tps);
  const totalFp = round5(order.length - tps);
  if (totalTp <= 0 || totalFp <= 0) return null;
  for (let k = 0; k < order.length; k++) {
    const tpr = round5(tpsAt[k]!) / totalTp;
    const fpr = round5(k + 1 - tpsAt[k]!) / totalFp;
    area += ((fpr - prevFpr) * (tpr + prevTpr)) / 2;
    prevTpr = tpr;
    prevFpr = fpr;
  }
  return area;
}

function checkInput(input: CbpeInput): void {
  const n = input.predicted.length;
  if (input.calibrated.length !== n || input.score.length !== n)
    throw new StatsInputError('CBPE: calibrated probabilities, scores and predictions differ in length');
  for (let i = 0; i < n; i++) {
    const p = input.calibrated[i]!;
    if (!(p >= 0 && p <= 1)) throw new StatsInputError(`CBPE: calibrated probability ${String(p)} is not in [0, 1]`);
  }
}

/** The point estimates alone (what NannyML reports per chunk); null where a metric is undefined. */
export function estimatePoint(input: CbpeInput): Record<CbpeMetric, number | null> {
  checkInput(input);
  const p = (i: number) => input.calibrated[i]!;
  return {
    ...metricsOfCells(expectedCells(input, p)),
    rocAuc: rocAucAlong(byScoreDescending(input.score), p),
  };
}

/** Nearest-rank quantile of sorted values. */
const quantile = (sorted: Float64Array, q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

/**
 * CBPE estimates with a band per metric. The band is not NannyML's (NannyML puts ±3
 * sampling errors, σ_reference/√n, around the estimate): it is the central `coverage`
 * interval of the metric's realized value when each row's label is drawn from its
 * calibrated probability, taken over `draws` seeded draws. It answers the question the
 * monitor asks, "is the realized value I would see consistent with no harm?", includes the
 * estimate's own chunk-size noise, and needs no reference chunking. Deterministic for a seed.
 */
export function estimateBinaryPerformance(input: CbpeInput, options: CbpeOptions = {}): CbpeEstimate {
  const draws = options.draws ?? 200;
  const coverage = options.coverage ?? 0.95;
  if (!Number.isInteger(draws) || draws < 10) throw new StatsInputError(`CBPE: draws must be ≥ 10, got ${draws}`);
  if (!(coverage > 0 && coverage < 1)) throw new StatsInputError(`CBPE: coverage must be in (0, 1), got ${coverage}`);
  const point = estimatePoint(input);
  const n = input.predicted.length;
  const rng = createRng(options.seed ?? 1);
  const order = byScoreDescending(input.score);
  const samples = Object.fromEntries(METRICS.map((m) => [m, [] as number[]])) as Record<CbpeMetric, number[]>;
  const label = new Uint8Array(n);
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < n; i++) label[i] = rng.nextFloat() < input.calibrated[i]! ? 1 : 0;
    const drawn = (i: number) => label[i]!;
    const realized = { ...metricsOfCells(expectedCells(input, drawn)), rocAuc: rocAucAlong(order, drawn) };
    for (const m of METRICS) if (realized[m] !== null) samples[m].push(realized[m]);
  }
  const tail = (1 - coverage) / 2;
  const band = (m: CbpeMetric): EstimatedMetric | null => {
    const estimate = point[m];
    if (estimate === null) return null;
    const sorted = Float64Array.from(samples[m]).sort();
    if (sorted.length === 0) return { estimate, lower: estimate, upper: estimate };
    return {
      estimate,
      lower: Math.min(estimate, quantile(sorted, tail)),
      upper: Math.max(estimate, quantile(sorted, 1 - tail)),
    };
  };
  return {
    rowCount: n,
    coverage,
    accuracy: band('accuracy'),
    precision: band('precision'),
    recall: band('recall'),
    f1: band('f1'),
    rocAuc: band('rocAuc'),
  };
}
