import { createRng } from '../../../stats/random.js';

/**
 * Mini-batch (or full-batch) gradient descent for logistic and ridge regression on a
 * standardized design matrix. Each epoch depends only on the weights it starts from and
 * (seed, epoch) — the batch order is reshuffled from a per-epoch seed — so training resumed
 * from a checkpoint (weights + epoch) ends exactly where an uninterrupted run does.
 */
export type LinearTask = 'binaryClassification' | 'regression';

export interface DesignData {
  /** Row-major rowCount × width. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly width: number;
  readonly rowCount: number;
}

export interface GdOptions {
  readonly task: LinearTask;
  readonly learningRate: number;
  readonly learningRateDecay: number;
  readonly l2: number;
  /** 0 = full batch. */
  readonly batchSize: number;
  readonly seed: number;
}

export interface LinearState {
  readonly weights: Float64Array;
  readonly intercept: number;
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

function linear(data: DesignData, state: LinearState, r: number): number {
  let z = state.intercept;
  const base = r * data.width;
  for (let j = 0; j < data.width; j++) z += state.weights[j]! * data.x[base + j]!;
  return z;
}

/** Training objective: mean log loss (classification) or half mean squared error (regression), plus (l2/2)·‖w‖². */
export function objective(data: DesignData, state: LinearState, options: Pick<GdOptions, 'task' | 'l2'>): number {
  let total = 0;
  for (let r = 0; r < data.rowCount; r++) {
    const z = linear(data, state, r);
    const y = data.y[r]!;
    if (options.task === 'binaryClassification') {
      const p = Math.min(1 - 1e-15, Math.max(1e-15, sigmoid(z)));
      total -= y * Math.log(p) + (1 - y) * Math.log(1 - p);
    } else total += 0.5 * (z - y) ** 2;
  }
  let norm = 0;
  for (const w of state.weights) norm += w * w;
  return total / Math.max(1, data.rowCount) + 0.5 * options.l2 * norm;
}

function epochOrder(rowCount: number, seed: number, epoch: number): Uint32Array {
  const order = Uint32Array.from({ length: rowCount }, (_, i) => i);
  const rng = createRng(seed * 100_003 + epoch);
  for (let i = rowCount - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** Runs epoch number `epoch` (0-based) from `state` and returns the new state. */
export function runEpoch(data: DesignData, state: LinearState, epoch: number, options: GdOptions): LinearState {
  const weights = Float64Array.from(state.weights);
  let intercept = state.intercept;
  const lr = options.learningRate / (1 + options.learningRateDecay * epoch);
  const full = options.batchSize <= 0 || options.batchSize >= data.rowCount;
  const order = full
    ? Uint32Array.from({ length: data.rowCount }, (_, i) => i)
    : epochOrder(data.rowCount, options.seed, epoch);
  const batch = full ? data.rowCount : options.batchSize;
  const grad = new Float64Array(data.width);
  for (let start = 0; start < data.rowCount; start += batch) {
    const end = Math.min(data.rowCount, start + batch);
    grad.fill(0);
    let gradIntercept = 0;
    for (let k = start; k < end; k++) {
      const r = order[k]!;
      const z = linear(data, { weights, intercept }, r);
      const residual = (options.task === 'binaryClassification' ? sigmoid(z) : z) - data.y[r]!;
      const base = r * data.width;
      for (let j = 0; j < data.width; j++) grad[j] = grad[j]! + residual * data.x[base + j]!;
      gradIntercept += residual;
    }
    const n = end - start;
    for (let j = 0; j < data.width; j++) weights[j] = weights[j]! - lr * (grad[j]! / n + options.l2 * weights[j]!);
    intercept -= (lr * gradIntercept) / n;
  }
  return { weights, intercept };
}

/** Starting point of a training from scratch: zero weights, intercept at the base rate / mean. */
export function initialState(data: DesignData, task: LinearTask): LinearState {
  const mean = data.rowCount > 0 ? data.y.reduce((a, b) => a + b, 0) / data.rowCount : 0;
  const intercept = task === 'binaryClassification' ? Math.log(Math.max(1e-6, mean) / Math.max(1e-6, 1 - mean)) : mean;
  return { weights: new Float64Array(data.width), intercept };
}
