/** Seeded synthetic columns for the profile/report tests. */
import { mulberry32 } from './golden-data.js';

export function normalSample(seed: number, n: number, mean = 0, sd = 1): Float64Array {
  const next = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = 1 - next();
    out[i] = mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  }
  return out;
}

export function categorySample(seed: number, n: number, categories: string[], weights: number[]): string[] {
  const next = mulberry32(seed);
  const total = weights.reduce((a, b) => a + b, 0);
  return Array.from({ length: n }, () => {
    let u = next() * total;
    for (let k = 0; k < categories.length; k++) {
      u -= weights[k]!;
      if (u < 0) return categories[k]!;
    }
    return categories[categories.length - 1]!;
  });
}
