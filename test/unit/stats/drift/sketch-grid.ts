/**
 * The sketch error grid: sketched normed Wasserstein and KS against the exact values, over
 * reference sizes 1,001 … 10⁶, current sizes 10 … 10⁶, and skewed, heavy-tailed, discrete
 * and mixed (zero-inflated) data, unshifted and shifted. Shared by the grid test and the
 * script that writes the figures in src/stats/drift/README.md.
 */
import { driftReport } from '../../../../src/stats/drift/drift-report.js';
import { ksStatisticSorted } from '../../../../src/stats/drift/ks.js';
import { buildReferenceProfile } from '../../../../src/stats/drift/reference-profile.js';
import { populationStd, wasserstein1Sorted } from '../../../../src/stats/drift/wasserstein.js';
import { numeric } from '../../../../src/stats/table.js';
import { generateNumeric, type NumericSpec } from './dataset-gen.js';

export const GRID_REFERENCE_SIZES = [1001, 5000, 100_000, 1_000_000] as const;
export const GRID_CURRENT_SIZES = [10, 100, 10_000, 1_000_000] as const;
export const GRID_SHAPES: ReadonlyArray<{ name: string; spec: Omit<NumericSpec, 'seed' | 'n'> }> = [
  { name: 'skewed', spec: { kind: 'skewed', loc: 0, scale: 5 } },
  { name: 'heavy-tailed', spec: { kind: 'heavy', loc: 0, scale: 1 } },
  { name: 'discrete', spec: { kind: 'ties', loc: 0, scale: 1, k: 40 } },
  { name: 'mixed', spec: { kind: 'mixed', loc: 0, scale: 4 } },
];
/** The grid sketches every reference above 1,000 rows, whatever the default exactLimit. */
export const SKETCH_FROM = 1001;
/** The documented ceiling of the reported normed-Wasserstein errorBound on this grid. */
export const GRID_MAX_BOUND = 5e-3;
/** Shifts of the current window, in units of the shape's scale: none, and about the 0.1 threshold. */
export const GRID_SHIFTS = [0, 0.04] as const;

export interface GridCell {
  readonly shape: string;
  readonly referenceSize: number;
  readonly currentSize: number;
  readonly shift: number;
  readonly exact: number;
  readonly sketch: number;
  readonly errorBound: number;
  readonly drifted: boolean;
  readonly exactDrifted: boolean;
  readonly borderline: boolean;
  readonly ksExact: number;
  readonly ksLower: number;
  readonly ksUpper: number;
}

/** Runs the grid; `onCell` sees each cell as it is measured. */
export function* sketchGrid(
  referenceSizes: readonly number[] = GRID_REFERENCE_SIZES,
  currentSizes: readonly number[] = GRID_CURRENT_SIZES,
): Generator<GridCell> {
  let seed = 910_000;
  for (const { name, spec } of GRID_SHAPES) {
    const currents = new Map<string, Float64Array>();
    for (const n of referenceSizes) {
      const ref = generateNumeric({ ...spec, seed: ++seed, n } as NumericSpec);
      const sortedRef = Float64Array.from(ref).sort();
      const std = Math.max(populationStd(sortedRef), 0.001);
      // exactLimit 1000: the sketch is measured from 1,001 rows, below the default limit too.
      const profile = buildReferenceProfile(
        { rowCount: n, columns: { x: numeric(ref) } },
        { exactLimit: SKETCH_FROM - 1 },
      );
      for (const m of currentSizes) {
        for (const shift of GRID_SHIFTS) {
          const key = `${m}:${shift}`;
          if (!currents.has(key))
            currents.set(
              key,
              generateNumeric({
                ...spec,
                loc: spec.loc + shift * spec.scale,
                seed: 920_000 + seed * 10 + currents.size,
                n: m,
              } as NumericSpec),
            );
          const cur = currents.get(key)!;
          const sortedCur = Float64Array.from(cur).sort();
          const exact = wasserstein1Sorted(sortedRef, sortedCur) / std;
          const table = { rowCount: m, columns: { x: numeric(cur) } };
          const wn = driftReport(profile, table, { methods: { x: 'wasserstein-normed' } }).columns[0]!;
          const ks = driftReport(profile, table, { methods: { x: 'ks' } }).columns[0]!;
          yield {
            shape: name,
            referenceSize: n,
            currentSize: m,
            shift,
            exact,
            sketch: wn.statistic,
            errorBound: wn.errorBound ?? 0,
            drifted: wn.drifted,
            exactDrifted: exact >= wn.threshold,
            borderline: wn.borderline,
            ksExact: ksStatisticSorted(sortedRef, sortedCur),
            ksLower: ks.statistic,
            ksUpper: ks.statistic + (ks.errorBound ?? 0),
          };
        }
      }
    }
  }
}
