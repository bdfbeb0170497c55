import { StatsInputError } from '../table.js';
import { compareCounts } from './categorical-column-drift.js';
import type { ColumnMeasurement } from './column-drift-types.js';
import { DriftCompatibility } from './drift-compatibility.js';
import { DriftMethod } from './drift-method.js';
import { evidentlyBinnedDistance, evidentlyBinsColumn, referenceValueCounts } from './evidently-numeric.js';
import { presentValues } from './finite-sample.js';
import { jensenShannonDistance } from './jensen-shannon.js';
import { ksPValue, ksTwoSampleSorted } from './ks.js';
import { selectDriftMethod } from './method-selection.js';
import type { NumericColumnProfile } from './profile-types.js';
import { psiFromCounts } from './psi.js';
import { countIntoCutBins } from './quantile.js';
import { binOnSketch, sketchKsRange, sketchWassersteinWithBound } from './quantile-sketch.js';
import { WASSERSTEIN_MIN_NORM, wasserstein1Sorted } from './wasserstein.js';

type Measured = Omit<ColumnMeasurement, 'method' | 'referenceSize'>;

const valueCounts = (values: Float64Array): Map<string, number> => {
  const m = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const k = String(values[i]);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
};

/** Distinct values over reference ∪ current, counted only as far as the selection needs (> 5). */
function unionUniqueCount(profile: NumericColumnProfile, values: Float64Array): number {
  // No distinct counts means more than distinctLimit (≥ 5) values: the answer is "more than 5".
  if (profile.distinct === null) return 6;
  const seen = new Set(profile.distinct.values);
  for (let i = 0; i < values.length && seen.size <= 5; i++) if (values[i] === values[i]) seen.add(values[i]!);
  return seen.size;
}

/** Context of one column's measurement: which conventions, and the profile's distinctLimit. */
export interface NumericDriftContext {
  readonly compatibility: DriftCompatibility;
  readonly distinctLimit: number;
}
const DEFAULT_CONTEXT: NumericDriftContext = { compatibility: DriftCompatibility.default, distinctLimit: 20 };

/** Evidently's PSI, JS, chi-square and z-test on a numeric column: Sturges bins above 20 distinct reference values, value counts below. */
function measureLikeEvidently(
  profile: NumericColumnProfile,
  cur: Float64Array,
  method: DriftMethod,
  column: string,
  ctx: NumericDriftContext,
): Measured {
  const base = { currentSize: cur.length };
  if (
    (method === DriftMethod.psi || method === DriftMethod.jensenShannon) &&
    evidentlyBinsColumn(profile, ctx.distinctLimit, column)
  ) {
    const r = evidentlyBinnedDistance(profile, cur, method);
    return {
      ...base,
      statistic: r.distance,
      distance: r.distance,
      approximate: r.approximate,
      ...(r.errorBound !== undefined ? { errorBound: r.errorBound } : {}),
    };
  }
  const ref = referenceValueCounts(profile);
  if (!ref)
    throw new StatsInputError(
      `column "${column}": ${method} compares value counts, and this sketched profile has none (more than distinctLimit distinct values)`,
    );
  return {
    ...base,
    approximate: false,
    ...compareCounts(ref, valueCounts(cur), method, column, DriftCompatibility.evidently),
  };
}

function measure(
  profile: NumericColumnProfile,
  values: Float64Array,
  method: DriftMethod,
  column: string,
  ctx: NumericDriftContext,
): Measured {
  const label = `current column "${column}"`;
  const norm = Math.max(profile.std, WASSERSTEIN_MIN_NORM);
  if (profile.sketch && (method === DriftMethod.wassersteinNormed || method === DriftMethod.ks)) {
    const binned = binOnSketch(values, profile.sketch.edges, label);
    if (binned.present === 0) throw new StatsInputError(`${label}: no non-missing values to compare`);
    if (method === DriftMethod.ks) {
      const range = sketchKsRange(profile.sketch, binned);
      const r = ksPValue(range.lower, profile.count, binned.present);
      const worst = ksPValue(range.upper, profile.count, binned.present);
      // ksPValue snaps D to its lattice; the bound is measured from the snapped statistic.
      const errorBound = Math.max(0, worst.statistic - r.statistic);
      return {
        statistic: r.statistic,
        pValue: r.pValue,
        currentSize: binned.present,
        approximate: true,
        errorBound,
        pValueRange: [worst.pValue, r.pValue],
      };
    }
    const w = sketchWassersteinWithBound(profile.sketch, binned);
    const d = w.value / norm;
    return {
      statistic: d,
      distance: d,
      currentSize: binned.present,
      approximate: true,
      errorBound: w.errorBound / norm,
    };
  }
  const cur = presentValues(values, label);
  const base = { currentSize: cur.length, approximate: false };
  if (
    ctx.compatibility === DriftCompatibility.evidently &&
    method !== DriftMethod.ks &&
    method !== DriftMethod.wassersteinNormed
  ) {
    return measureLikeEvidently(profile, cur, method, column, ctx);
  }
  switch (method) {
    case DriftMethod.ks:
    case DriftMethod.wassersteinNormed: {
      const ref = Float64Array.from(profile.sorted!);
      cur.sort();
      if (method === DriftMethod.ks) {
        const r = ksTwoSampleSorted(ref, cur);
        return { ...base, statistic: r.statistic, pValue: r.pValue };
      }
      const d = wasserstein1Sorted(ref, cur) / norm;
      return { ...base, statistic: d, distance: d };
    }
    case DriftMethod.psi: {
      const d = psiFromCounts(profile.bins.counts, countIntoCutBins(cur, profile.bins.cutPoints));
      return { ...base, statistic: d, distance: d };
    }
    case DriftMethod.jensenShannon:
    case DriftMethod.chiSquare:
    case DriftMethod.zTest: {
      if (profile.distinct === null) {
        if (method !== DriftMethod.jensenShannon) {
          throw new StatsInputError(`column "${column}": ${method} needs a column with few distinct values`);
        }
        // Too many distinct values for value counts: compare on the reference-quantile bins.
        const d = jensenShannonDistance(profile.bins.counts, countIntoCutBins(cur, profile.bins.cutPoints));
        return { ...base, statistic: d, distance: d };
      }
      // Few distinct values are compared as categories, as Evidently does.
      const ref = new Map(profile.distinct.values.map((v, i) => [String(v), profile.distinct!.counts[i]!] as const));
      return { ...base, ...compareCounts(ref, valueCounts(cur), method, column) };
    }
  }
}

/** Drift of one numeric column against its profile (method chosen à la Evidently unless given). */
export function numericColumnDrift(
  column: string,
  profile: NumericColumnProfile,
  values: Float64Array,
  method?: DriftMethod,
  ctx: NumericDriftContext = DEFAULT_CONTEXT,
): ColumnMeasurement {
  const chosen =
    method ??
    selectDriftMethod({
      kind: 'numeric',
      referenceSize: profile.count,
      uniqueCount: unionUniqueCount(profile, values),
    });
  return { method: chosen, referenceSize: profile.count, ...measure(profile, values, chosen, column, ctx) };
}
