/**
 * The columnar table every statistic, data-quality check and trainer works on.
 * Numeric columns are Float64Array with NaN meaning "missing"; categorical columns are
 * arrays of strings with null meaning "missing". Columnar so a 1M-row check touches
 * one contiguous typed array per feature.
 */
export type NumericColumn = { readonly kind: 'numeric'; readonly values: Float64Array };
export type CategoricalColumn = { readonly kind: 'categorical'; readonly values: ReadonlyArray<string | null> };
export type Column = NumericColumn | CategoricalColumn;

export interface Table {
  readonly rowCount: number;
  readonly columns: Readonly<Record<string, Column>>;
}

export const numeric = (values: Float64Array | readonly number[]): NumericColumn => ({
  kind: 'numeric',
  values: values instanceof Float64Array ? values : Float64Array.from(values),
});

export const categorical = (values: ReadonlyArray<string | null>): CategoricalColumn => ({
  kind: 'categorical',
  values,
});

/** Error for input a statistic cannot judge (empty, NaN, wrong shape): never a NaN verdict. */
export class StatsInputError extends Error {
  override name = 'StatsInputError';
}
