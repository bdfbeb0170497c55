/**
 * The shape of a reference profile: plain JSON (numbers, strings, arrays), because it is
 * stored with a model version and travels through Temporal payloads. No typed arrays,
 * no Maps; its size is bounded per column (see `ReferenceProfileOptions`).
 */

export const PROFILE_FORMAT = 'ct-flywheel/reference-profile@1';

/**
 * Equal-mass quantile sketch of a large numeric reference: `edges` are K+1 ascending
 * sample values (e₀ = min, e_K = max; an atom also gets its predecessor as an edge) and
 * `cumCounts[k]` = #values ≤ edges[k], so the reference CDF is exact at every edge, and
 * `gapSums` make the area under it exact within every bin.
 */
export interface QuantileSketch {
  readonly edges: number[];
  readonly cumCounts: number[];
  /** gapSums[k] = Σ (e_k − v) over the values in (e_{k−1}, e_k]: the exact area under the CDF per bin. */
  readonly gapSums: number[];
}

export interface NumericColumnProfile {
  readonly kind: 'numeric';
  /** Non-missing values (NaN is missing). */
  readonly count: number;
  readonly missing: number;
  readonly min: number;
  readonly max: number;
  /** Population standard deviation (ddof 0), exact: the norm of normed Wasserstein. */
  readonly std: number;
  /** Distinct values and their counts when there are at most `distinctLimit` of them. */
  readonly distinct: { readonly values: number[]; readonly counts: number[] } | null;
  /** The whole sample, ascending, when count ≤ `exactLimit`: every test is then exact. */
  readonly sorted: number[] | null;
  /** Present instead of `sorted` for larger samples. */
  readonly sketch: QuantileSketch | null;
  /** PSI / Jensen–Shannon bins: interior cut points at reference quantiles, and counts. */
  readonly bins: { readonly cutPoints: number[]; readonly counts: number[] };
}

export interface CategoricalColumnProfile {
  readonly kind: 'categorical';
  readonly count: number;
  readonly missing: number;
  readonly categories: string[];
  readonly counts: number[];
}

export type ColumnProfile = NumericColumnProfile | CategoricalColumnProfile;

export interface ReferenceProfile {
  readonly format: typeof PROFILE_FORMAT;
  readonly rowCount: number;
  readonly options: Required<ReferenceProfileOptions>;
  readonly columns: Record<string, ColumnProfile>;
}

export interface ReferenceProfileOptions {
  /** PSI / numeric Jensen–Shannon bins (reference quantiles). Default 10. */
  bins?: number;
  /**
   * Keep the full sorted sample up to this many values. Default 1500: up to there the sample's
   * JSON is no larger than a sketch's (≈ 20 bytes a value against ≈ 20–33 KiB), so it is exact
   * for free; raise it to make larger references exact at that cost.
   */
  exactLimit?: number;
  /** Quantile-sketch bins for larger samples. Default 512 (plus about half as many refining edges). */
  sketchBins?: number;
  /** Keep distinct value counts up to this many distinct values. Default 20. */
  distinctLimit?: number;
}
