import { StatsInputError } from '../table.js';
import { checkWeights } from './count-validation.js';

/**
 * Jensen–Shannon distance (the square root of the divergence) between two discrete
 * distributions given as counts or probabilities over the same bins, like
 * scipy.spatial.distance.jensenshannon: each vector is normalised to sum 1, 0·log 0 = 0,
 * natural log unless `base` is given (base 2 bounds the distance by 1).
 */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>, base?: number): number {
  checkWeights(p, q, 'jensenShannonDistance');
  if (base !== undefined && !(base > 0 && base !== 1))
    throw new StatsInputError(`jensenShannonDistance: invalid log base ${base}`);
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i]!;
    sq += q[i]!;
  }
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp;
    const qi = q[i]! / sq;
    const m = (pi + qi) / 2;
    if (pi > 0) divergence += pi * Math.log(pi / m);
    if (qi > 0) divergence += qi * Math.log(qi / m);
  }
  divergence /= 2;
  if (base !== undefined) divergence /= Math.log(base);
  // Rounding can leave a tiny negative divergence for identical inputs.
  return Math.sqrt(Math.max(0, divergence));
}
