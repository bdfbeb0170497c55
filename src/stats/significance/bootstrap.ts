import { checkSameLength, toFinite } from '../metrics/validate.js';
import { createRng } from '../random.js';
import { StatsInputError } from '../table.js';
import { builtinResampler, type BuiltinPairedMetric, type Resampler } from './bootstrap-builtins.js';

/** A metric of (truth, prediction); higher or lower may be better, the test does not care. */
export type PairedMetric = (yTrue: Float64Array, prediction: Float64Array) => number;

export interface PairedBootstrapInput {
  readonly yTrue: ArrayLike<number>;
  readonly champion: ArrayLike<number>;
  readonly challenger: ArrayLike<number>;
  /**
   * A built-in name ('accuracy', 'rocAuc', 'brier', 'logLoss': fast, O(n) per resample,
   * labels 0/1 and probabilities) or any function. A function is called once per model
   * per resample with reused buffers: it must not keep references to its arguments.
   * Resamples on which the metric is undefined (it throws StatsInputError or returns a
   * non-finite number, e.g. ROC AUC without positives) are skipped.
   */
  readonly metric: PairedMetric | BuiltinPairedMetric;
  /** Built-in 'accuracy' only: a model predicts positive at probability ≥ threshold. Default 0.5. */
  readonly threshold?: number;
  /**
   * Bootstrap −metric, so that for a lower-is-better metric ('brier', 'logLoss') a
   * positive difference and a small p-value mean the challenger is better; the metrics
   * in the result are negated too. Default false.
   */
  readonly negate?: boolean;
  /** Default 2000. */
  readonly iterations?: number;
  readonly seed: number;
  /** Default 0.95. */
  readonly confidence?: number;
}

export interface PairedBootstrapResult {
  readonly championMetric: number;
  readonly challengerMetric: number;
  /** metric(challenger) − metric(champion) on the full sample. */
  readonly observedDifference: number;
  /** Percentile interval of the bootstrap differences. */
  readonly ci: readonly [number, number];
  /** Share of bootstrap differences ≤ 0: small means the challenger is reliably higher. */
  readonly pValueOneSided: number;
  readonly standardError: number;
  readonly iterations: number;
  /** Resamples on which the metric was undefined and that were left out. */
  readonly skipped: number;
  readonly seed: number;
  readonly confidence: number;
}

/** More skipped resamples than this share would bias the interval: refuse instead. */
const MAX_SKIPPED_SHARE = 0.1;

/**
 * Paired bootstrap of a metric difference between two models scored on the same rows:
 * each resample draws row indices with replacement and evaluates both models on the
 * same rows, so the correlation between them is kept. Reproducible for a given seed.
 */
export function pairedBootstrap(input: PairedBootstrapInput): PairedBootstrapResult {
  const what = 'pairedBootstrap';
  const { metric, seed } = input;
  const iterations = input.iterations ?? 2000;
  const confidence = input.confidence ?? 0.95;
  if (!Number.isInteger(iterations) || iterations < 1)
    throw new StatsInputError(`${what}: iterations must be a positive integer, got ${String(iterations)}`);
  if (!(confidence > 0 && confidence < 1))
    throw new StatsInputError(`${what}: confidence must be in (0, 1), got ${String(confidence)}`);
  const n = checkSameLength(what, { yTrue: input.yTrue, champion: input.champion, challenger: input.challenger });
  const y = toFinite(what, 'yTrue', input.yTrue);
  const a = toFinite(what, 'champion', input.champion);
  const b = toFinite(what, 'challenger', input.challenger);
  const threshold = input.threshold ?? 0.5;
  if (input.threshold !== undefined && (metric !== 'accuracy' || !Number.isFinite(threshold))) {
    throw new StatsInputError(
      `${what}: threshold applies to the built-in 'accuracy' only and must be a finite number; got ${String(input.threshold)} with ${typeof metric === 'function' ? 'a function' : `'${metric}'`}`,
    );
  }
  const resample =
    typeof metric === 'function' ? functionResampler(metric, y, a, b) : builtinResampler(metric, y, a, b, threshold);
  // −1·m exactly as a caller's negated function would return it, so the differences match bit for bit.
  const sign = input.negate === true ? -1 : 1;
  const rng = createRng(seed);

  const full = new Uint32Array(n);
  for (let i = 0; i < n; i++) full[i] = i;
  const observed = resample(full);
  if (observed === null) {
    throw new StatsInputError(`${what}: the metric is undefined on the full sample (e.g. only one class present)`);
  }
  const championMetric = sign * observed[0];
  const challengerMetric = sign * observed[1];

  const indices = new Uint32Array(n);
  const diffs = new Float64Array(iterations);
  let valid = 0;
  for (let it = 0; it < iterations; it++) {
    rng.fillInts(n, indices);
    const values = resample(indices);
    if (values !== null) diffs[valid++] = sign * values[1] - sign * values[0];
  }
  const skipped = iterations - valid;
  if (skipped > MAX_SKIPPED_SHARE * iterations) {
    throw new StatsInputError(
      `${what}: the metric was undefined on ${skipped} of ${iterations} resamples (e.g. a class missing); use more rows or another metric`,
    );
  }
  const sorted = diffs.subarray(0, valid).sort();
  let atMostZero = 0;
  let mean = 0;
  for (let k = 0; k < valid; k++) {
    if (sorted[k]! <= 0) atMostZero++;
    mean += sorted[k]!;
  }
  mean /= valid;
  let ss = 0;
  for (let k = 0; k < valid; k++) ss += (sorted[k]! - mean) ** 2;
  const alpha = 1 - confidence;
  return {
    championMetric,
    challengerMetric,
    observedDifference: challengerMetric - championMetric,
    ci: [quantileSorted(sorted, alpha / 2), quantileSorted(sorted, 1 - alpha / 2)],
    pValueOneSided: atMostZero / valid,
    standardError: valid > 1 ? Math.sqrt(ss / (valid - 1)) : 0,
    iterations,
    skipped,
    seed,
    confidence,
  };
}

function functionResampler(metric: PairedMetric, y: Float64Array, a: Float64Array, b: Float64Array): Resampler {
  const n = y.length;
  // Row-interleaved copy: a random draw gathers its three values from one cache line, not three.
  const rows = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    rows[3 * i] = y[i]!;
    rows[3 * i + 1] = a[i]!;
    rows[3 * i + 2] = b[i]!;
  }
  const yB = new Float64Array(n),
    aB = new Float64Array(n),
    bB = new Float64Array(n);
  return (indices) => {
    for (let k = 0; k < n; k++) {
      const j = 3 * indices[k]!;
      yB[k] = rows[j]!;
      aB[k] = rows[j + 1]!;
      bB[k] = rows[j + 2]!;
    }
    try {
      const champion = metric(yB, aB);
      const challenger = metric(yB, bB);
      return Number.isFinite(champion) && Number.isFinite(challenger) ? [champion, challenger] : null;
    } catch (error) {
      if (error instanceof StatsInputError) return null;
      throw error;
    }
  };
}

/** Linear-interpolation quantile (numpy's default, type 7) of an ascending array. */
function quantileSorted(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
