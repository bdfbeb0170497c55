import { StatsInputError } from '../table.js';
import { chiSquareHomogeneity } from './chi-square.js';
import { chiSquareGoodnessOfFit } from './chi-square-goodness-of-fit.js';
import type { ColumnMeasurement } from './column-drift-types.js';
import { DriftCompatibility } from './drift-compatibility.js';
import { DriftMethod } from './drift-method.js';
import { evidentlyPsi } from './evidently-binning.js';
import { jensenShannonDistance } from './jensen-shannon.js';
import { selectDriftMethod } from './method-selection.js';
import type { CategoricalColumnProfile } from './profile-types.js';
import { psiFromCounts } from './psi.js';
import { evidentlyZPValue, twoProportionZTest } from './two-proportion-z.js';

function countCategories(values: ReadonlyArray<string | null>, column: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'string')
      throw new StatsInputError(`current column "${column}": row ${i} is not a string (${String(v)})`);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  if (counts.size === 0) throw new StatsInputError(`current column "${column}": no non-missing values to compare`);
  return counts;
}

/**
 * Compare two category-count maps with a method; shared by categorical and few-valued
 * numeric columns. In Evidently mode chi-square is goodness-of-fit, PSI smooths empty
 * shares as Evidently does, and the z-test p-value is Evidently's 2·(1 − Φ(|z|)).
 */
export function compareCounts(
  ref: ReadonlyMap<string, number>,
  cur: ReadonlyMap<string, number>,
  method: DriftMethod,
  column: string,
  compatibility: DriftCompatibility = DriftCompatibility.default,
): { statistic: number; pValue?: number; distance?: number } {
  const evidently = compatibility === DriftCompatibility.evidently;
  const keys = [...new Set([...ref.keys(), ...cur.keys()])].sort();
  const refCounts = keys.map((k) => ref.get(k) ?? 0);
  const curCounts = keys.map((k) => cur.get(k) ?? 0);
  const nRef = refCounts.reduce((a, b) => a + b, 0);
  const nCur = curCounts.reduce((a, b) => a + b, 0);
  switch (method) {
    case DriftMethod.chiSquare: {
      const r = evidently ? chiSquareGoodnessOfFit(ref, cur) : chiSquareHomogeneity(ref, cur);
      return { statistic: r.statistic, pValue: r.pValue };
    }
    case DriftMethod.zTest: {
      if (keys.length > 2)
        throw new StatsInputError(`column "${column}": the z-test needs a binary column, found ${keys.length} values`);
      const r = twoProportionZTest(refCounts[0]!, nRef, curCounts[0]!, nCur);
      return { statistic: r.statistic, pValue: evidently ? evidentlyZPValue(r.statistic) : r.pValue };
    }
    case DriftMethod.jensenShannon: {
      const d = jensenShannonDistance(refCounts, curCounts);
      return { statistic: d, distance: d };
    }
    case DriftMethod.psi: {
      const d = evidently ? evidentlyPsi(refCounts, nRef, curCounts, nCur) : psiFromCounts(refCounts, curCounts);
      return { statistic: d, distance: d };
    }
    default:
      throw new StatsInputError(`column "${column}": method "${method}" does not apply to categorical data`);
  }
}

/** Drift of one categorical column against its profile (method chosen à la Evidently unless given). */
export function categoricalColumnDrift(
  column: string,
  profile: CategoricalColumnProfile,
  values: ReadonlyArray<string | null>,
  method?: DriftMethod,
  compatibility: DriftCompatibility = DriftCompatibility.default,
): ColumnMeasurement {
  const ref = new Map(profile.categories.map((c, i) => [c, profile.counts[i]!] as const));
  const cur = countCategories(values, column);
  let union = ref.size;
  for (const k of cur.keys()) if (!ref.has(k)) union++;
  const chosen = method ?? selectDriftMethod({ kind: 'categorical', referenceSize: profile.count, uniqueCount: union });
  let currentSize = 0;
  for (const c of cur.values()) currentSize += c;
  return {
    method: chosen,
    ...compareCounts(ref, cur, chosen, column, compatibility),
    referenceSize: profile.count,
    currentSize,
    approximate: false,
  };
}
