import { StatsInputError, type Table } from '../table.js';
import { benjaminiHochberg } from './benjamini-hochberg.js';
import { categoricalColumnDrift } from './categorical-column-drift.js';
import type { ColumnMeasurement } from './column-drift-types.js';
import { DriftCompatibility, isDriftCompatibility } from './drift-compatibility.js';
import { DEFAULT_THRESHOLDS, DriftMethod, isDriftMethod, P_VALUE_METHODS } from './drift-method.js';
import { numericColumnDrift } from './numeric-column-drift.js';
import type { ReferenceProfile } from './profile-types.js';

export interface DriftReportOptions {
  /** Dataset drift when at least this share of columns drift. Default 0.5 (Evidently). */
  datasetDriftShare?: number;
  /** Multiple-testing correction across the p-value columns. Default 'none' (Evidently). */
  correction?: 'none' | 'benjamini-hochberg';
  /** Method per column, overriding the Evidently-compatible default selection. */
  methods?: Record<string, DriftMethod>;
  /** Threshold per method (p-value level for tests, minimum distance for distances). */
  thresholds?: Partial<Record<DriftMethod, number>>;
  /** Threshold per column, winning over `thresholds`. */
  columnThresholds?: Record<string, number>;
  /** Columns to check; default every column of the profile. */
  columns?: string[];
  /**
   * `default` (this project's conventions) or `evidently`: Evidently 0.7's goodness-of-fit
   * chi-square, Sturges-binned PSI/JS with its empty-share fill, its z-test p-value and its
   * KS rule p ≤ threshold, so methods, scores and verdicts equal Evidently's (README.md).
   */
  compatibility?: DriftCompatibility;
}

export interface ColumnDriftResult extends ColumnMeasurement {
  readonly column: string;
  /** Benjamini–Hochberg adjusted p-value, when that correction is on. */
  readonly adjustedPValue?: number;
  readonly threshold: number;
  readonly drifted: boolean;
  /**
   * The exact value (which the sketch only bounds) could fall on the other side of the
   * threshold: the verdict is not to be trusted blindly. Always false for exact columns.
   */
  readonly borderline: boolean;
}

export interface DriftReport {
  readonly columns: ColumnDriftResult[];
  readonly driftedColumns: string[];
  readonly driftShare: number;
  readonly datasetDrift: boolean;
  readonly datasetDriftShare: number;
  readonly correction: 'none' | 'benjamini-hochberg';
  readonly compatibility: DriftCompatibility;
}

function thresholdFor(column: string, method: DriftMethod, o: DriftReportOptions): number {
  const t = o.columnThresholds?.[column] ?? o.thresholds?.[method] ?? DEFAULT_THRESHOLDS[method];
  const ok = P_VALUE_METHODS.has(method) ? t > 0 && t < 1 : t > 0 && Number.isFinite(t);
  if (!ok) throw new StatsInputError(`driftReport: invalid threshold ${t} for column "${column}" (${method})`);
  return t;
}

/** Drift verdict from a p-value or a distance; Evidently's KS alone drifts at p = threshold too. */
function verdictRule(
  m: ColumnMeasurement,
  usesP: boolean,
  threshold: number,
  compatibility: DriftCompatibility,
): (score: number) => boolean {
  if (!usesP) return (d) => d >= threshold;
  return compatibility === DriftCompatibility.evidently && m.method === DriftMethod.ks
    ? (p) => p <= threshold
    : (p) => p < threshold;
}

/**
 * Whether the verdict could flip within the measurement's error bound: the rule gives
 * different answers at the two ends of the range the exact value is known to lie in.
 * A Benjamini–Hochberg adjustment mixes columns, so there an approximate test whose
 * p-value range is not a point is flagged.
 */
function isBorderline(m: ColumnMeasurement, drifts: (score: number) => boolean, adjusted: boolean): boolean {
  if (!m.approximate) return false;
  if (m.pValue !== undefined) {
    const [lo, hi] = m.pValueRange ?? [m.pValue, m.pValue];
    return adjusted ? lo !== hi : drifts(lo) !== drifts(hi);
  }
  if (m.errorBound === undefined) return false;
  return drifts(m.statistic - m.errorBound) !== drifts(m.statistic + m.errorBound);
}

function measureColumn(
  profile: ReferenceProfile,
  current: Table,
  column: string,
  method: DriftMethod | undefined,
  compatibility: DriftCompatibility,
): ColumnMeasurement {
  const ref = profile.columns[column];
  const cur = current.columns[column];
  if (!ref) throw new StatsInputError(`driftReport: column "${column}" is not in the reference profile`);
  if (!cur) throw new StatsInputError(`driftReport: column "${column}" is missing from the current table`);
  if (cur.values.length !== current.rowCount) {
    throw new StatsInputError(
      `driftReport: column "${column}" has ${cur.values.length} values, table has ${current.rowCount} rows`,
    );
  }
  if (method !== undefined && !isDriftMethod(method))
    throw new StatsInputError(`driftReport: unknown method "${String(method)}" for column "${column}"`);
  if (ref.kind === 'numeric' && cur.kind === 'numeric') {
    if (!(cur.values instanceof Float64Array))
      throw new StatsInputError(`driftReport: numeric column "${column}" must be a Float64Array`);
    return numericColumnDrift(column, ref, cur.values, method, {
      compatibility,
      distinctLimit: profile.options.distinctLimit,
    });
  }
  if (ref.kind === 'categorical' && cur.kind === 'categorical')
    return categoricalColumnDrift(column, ref, cur.values, method, compatibility);
  throw new StatsInputError(
    `driftReport: column "${column}" is ${ref.kind} in the reference but ${cur.kind} in the current table`,
  );
}

/**
 * Per-column drift of `current` against a prebuilt reference profile, and the dataset
 * verdict. Methods default to Evidently's selection (see selectDriftMethod); p-value
 * tests drift when p < threshold (after Benjamini–Hochberg when asked), distances when
 * distance ≥ threshold. Bad input (missing columns, kind mismatch, all-missing column,
 * ±Infinity, non-numeric data) throws StatsInputError — never a NaN verdict.
 */
export function driftReport(profile: ReferenceProfile, current: Table, options: DriftReportOptions = {}): DriftReport {
  const share = options.datasetDriftShare ?? 0.5;
  if (!(share > 0 && share <= 1))
    throw new StatsInputError(`driftReport: datasetDriftShare must be in (0, 1], got ${share}`);
  const correction = options.correction ?? 'none';
  if (correction !== 'none' && correction !== 'benjamini-hochberg')
    throw new StatsInputError(`driftReport: unknown correction "${String(correction)}"`);
  const compatibility = options.compatibility ?? DriftCompatibility.default;
  if (!isDriftCompatibility(compatibility))
    throw new StatsInputError(
      `driftReport: unknown compatibility "${String(compatibility)}" (use "default" or "evidently")`,
    );
  if (compatibility === DriftCompatibility.evidently && correction !== 'none') {
    throw new StatsInputError(
      'driftReport: correction "benjamini-hochberg" has no Evidently counterpart; use compatibility "default" with it',
    );
  }
  const names = options.columns ?? Object.keys(profile.columns);
  if (names.length === 0) throw new StatsInputError('driftReport: no columns to check');
  // A column listed twice would count twice in the drift share.
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new StatsInputError(`driftReport: columns lists "${name}" twice`);
    seen.add(name);
  }
  const measured = names.map((column) => ({
    column,
    ...measureColumn(profile, current, column, options.methods?.[column], compatibility),
  }));
  const tested = measured.filter((m) => m.pValue !== undefined);
  const adjusted = new Map<string, number>();
  if (correction === 'benjamini-hochberg' && tested.length > 0) {
    benjaminiHochberg(tested.map((m) => m.pValue!)).forEach((q, i) => adjusted.set(tested[i]!.column, q));
  }
  const columns: ColumnDriftResult[] = measured.map((m) => {
    const threshold = thresholdFor(m.column, m.method, options);
    const adjustedPValue = adjusted.get(m.column);
    const p = adjustedPValue ?? m.pValue;
    const drifts = verdictRule(m, p !== undefined, threshold, compatibility);
    const drifted = drifts(p ?? m.statistic);
    const borderline = isBorderline(m, drifts, adjustedPValue !== undefined);
    if (Number.isNaN(m.statistic) || (p !== undefined && Number.isNaN(p))) {
      throw new StatsInputError(`driftReport: column "${m.column}" produced no number (${m.method}); check its data`);
    }
    return adjustedPValue === undefined
      ? { ...m, threshold, drifted, borderline }
      : { ...m, adjustedPValue, threshold, drifted, borderline };
  });
  const driftedColumns = columns.filter((c) => c.drifted).map((c) => c.column);
  const driftShare = driftedColumns.length / columns.length;
  return {
    columns,
    driftedColumns,
    driftShare,
    datasetDrift: driftShare >= share,
    datasetDriftShare: share,
    correction,
    compatibility,
  };
}
