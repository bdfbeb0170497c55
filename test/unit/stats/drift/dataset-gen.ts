/**
 * TypeScript twin of scripts/golden/drift_datasets.py: replays a column spec bit-for-bit
 * (mulberry32 and IEEE-exact operations), so the Evidently comparison and the sketch
 * error grid need not store their samples.
 */
import { categorical, numeric, type Column } from '../../../../src/stats/table.js';
import { mulberry32 } from './golden-data.js';

export interface NumericSpec {
  readonly seed: number;
  readonly n: number;
  readonly kind: 'normalish' | 'skewed' | 'heavy' | 'ties' | 'mixed' | 'constant' | 'binary';
  readonly loc: number;
  readonly scale: number;
  readonly k?: number;
  readonly nanRate?: number;
}
export interface CategoricalSpec {
  readonly seed: number;
  readonly n: number;
  readonly kind: 'categorical';
  readonly categories: string[];
  readonly cumulative: number[];
  readonly nanRate?: number;
}
export type ColumnSpec = NumericSpec | CategoricalSpec;

function numericValue(s: NumericSpec, next: () => number): number {
  const k = s.k ?? 0;
  switch (s.kind) {
    case 'normalish': {
      let u = next() + next();
      u = u + next();
      u = u + next();
      return (u - 2) * s.scale + s.loc;
    }
    case 'skewed': {
      const u = next();
      return u * u * u * s.scale + s.loc;
    }
    case 'heavy':
      return s.scale / (next() + 0.001) + s.loc;
    case 'ties':
      return Math.floor(next() * k) * s.scale + s.loc;
    case 'mixed': {
      const u = next();
      const v = next();
      return u < 0.4 ? s.loc : v * v * s.scale + s.loc;
    }
    case 'constant':
      return s.loc;
    case 'binary':
      return next() < k ? s.loc + s.scale : s.loc;
  }
}

export function generateNumeric(s: NumericSpec): Float64Array {
  const next = mulberry32(s.seed);
  const out = new Float64Array(s.n);
  const nanRate = s.nanRate ?? 0;
  for (let i = 0; i < s.n; i++) {
    const v = numericValue(s, next);
    out[i] = nanRate > 0 && next() < nanRate ? Number.NaN : v;
  }
  return out;
}

export function generateCategorical(s: CategoricalSpec): Array<string | null> {
  const next = mulberry32(s.seed);
  const nanRate = s.nanRate ?? 0;
  const out: Array<string | null> = [];
  for (let i = 0; i < s.n; i++) {
    const u = next();
    let j = 0;
    while (j < s.cumulative.length - 1 && u >= s.cumulative[j]!) j++;
    const missing = nanRate > 0 && next() < nanRate;
    out.push(missing ? null : s.categories[j]!);
  }
  return out;
}

export function generateColumn(s: ColumnSpec): Column {
  return s.kind === 'categorical' ? categorical(generateCategorical(s)) : numeric(generateNumeric(s));
}
