import type { Column } from '../table.js';

/**
 * Number of rows that repeat an earlier row over the given columns (missing equals
 * missing). Rows are bucketed by a 52-bit hash and only same-bucket rows are compared
 * value by value, so 10^5 rows × 25 columns cost one pass plus a few comparisons.
 */
export function countDuplicateRows(columns: readonly Column[], rowCount: number): number {
  if (columns.length === 0 || rowCount < 2) return 0;
  const h1 = new Uint32Array(rowCount).fill(0x811c9dc5);
  const h2 = new Uint32Array(rowCount).fill(0x01000193);
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  for (const column of columns) {
    for (let i = 0; i < rowCount; i++) {
      let a: number, b: number;
      if (column.kind === 'numeric') {
        const v = column.values[i]!;
        bits[0] = Number.isNaN(v) ? NaN : v === 0 ? 0 : v; // one NaN, and −0 equals 0
        a = words[0]!;
        b = words[1]!;
      } else {
        const v = column.values[i];
        [a, b] = v === null || v === undefined ? [0x9e3779b9, 0x7f4a7c15] : stringHash(v);
      }
      h1[i] = Math.imul(h1[i]! ^ a, 0x01000193) ^ Math.imul(b, 0x85ebca6b);
      h2[i] = Math.imul(h2[i]! ^ b, 0xc2b2ae35) ^ Math.imul(a, 0x27d4eb2f);
    }
  }
  const buckets = new Map<number, number[]>();
  let duplicates = 0;
  for (let i = 0; i < rowCount; i++) {
    const key = (h1[i]! >>> 0) * 1048576 + (h2[i]! >>> 12);
    const earlier = buckets.get(key);
    if (earlier === undefined) {
      buckets.set(key, [i]);
      continue;
    }
    if (earlier.some((j) => rowsEqual(columns, i, j))) duplicates++;
    else earlier.push(i);
  }
  return duplicates;
}

function stringHash(s: string): [number, number] {
  let a = 0x811c9dc5,
    b = 0x1b873593;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return [a >>> 0, (b ^ s.length) >>> 0];
}

function rowsEqual(columns: readonly Column[], i: number, j: number): boolean {
  for (const column of columns) {
    const a = column.values[i] ?? null;
    const b = column.values[j] ?? null;
    if (a === b) continue;
    if (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b)) continue;
    return false;
  }
  return true;
}
