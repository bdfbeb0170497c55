import { z } from 'zod';
import { DurationSchema } from '../duration.js';

/**
 * Where a model's training data comes from (the `dataSource` block of a model spec).
 * A snapshot takes the rows of one time window (synthetic) or the whole file/folder (csv)
 * and splits them into train and held-out rows deterministically.
 */
const split = {
  /** Fraction of rows kept out of training for evaluation, chosen by a seeded shuffle. */
  heldOutFraction: z.number().gt(0).lt(1).default(0.25),
  splitSeed: z.number().int().nonnegative().default(7),
};

export const SyntheticGeneratorName = {
  sea: 'sea',
  rotatingHyperplane: 'rotatingHyperplane',
  covariateShift: 'covariateShift',
} as const;
export type SyntheticGeneratorName = (typeof SyntheticGeneratorName)[keyof typeof SyntheticGeneratorName];

const noise = z.number().min(0).max(0.5).default(0.1);

const recencyFields = {
  /** Train on the last N windows only (the newest window counts as one). */
  lastWindows: z.number().int().min(1).max(100_000).optional(),
  /**
   * Train only on rows from the detected change on (the window or time the snapshot request
   * names as `since`: where the alert that started the cycle first saw the shift). Without a
   * `since` in the request it has no effect.
   */
  sinceChange: z.boolean().default(false),
};

/**
 * Recency window: which of the rows a source offers a snapshot trains on, so that a retrain
 * after a shift does not keep half the old distribution. Absent (the default), a snapshot takes
 * every row the source offers, as before. Both limits may be set; the later start wins.
 */
export const recencyWindowSchema = z.object(recencyFields).strict();
export type RecencyWindow = z.output<typeof recencyWindowSchema>;

/** A CSV source's recency window: windows are `windowMs` of its time column (epoch ms or ISO dates). */
export const csvRecencyWindowSchema = z
  .object({
    ...recencyFields,
    /** Column holding each row's time: numbers are epoch milliseconds, strings ISO-8601 dates. */
    timeColumn: z.string().min(1),
    /** Length of one window of `lastWindows`, e.g. `1d`. */
    windowMs: DurationSchema.optional(),
  })
  .strict()
  .refine((r) => r.lastWindows === undefined || r.windowMs !== undefined, {
    message: 'lastWindows needs windowMs: how long one window of the time column is (e.g. 1d)',
    path: ['windowMs'],
  });
export type CsvRecencyWindow = z.output<typeof csvRecencyWindowSchema>;

/** SEA concepts: label = f1 + f2 <= threshold; the threshold switches at the listed windows (abrupt drift). */
export const seaGeneratorSchema = z
  .object({
    name: z.literal(SyntheticGeneratorName.sea),
    noise,
    /**
     * A persistent covariate shift of the irrelevant f3: from `fromWindow` on, f3 is uniform on
     * [min, max] instead of [0, 10]. The label never depends on f3, so this drift is benign.
     */
    f3Shift: z
      .object({
        fromWindow: z.number().int().nonnegative(),
        min: z.number().min(0).max(10),
        max: z.number().min(0).max(10),
      })
      .strict()
      .refine((s) => s.min < s.max, { message: 'f3Shift.min must be below f3Shift.max', path: ['max'] })
      .optional(),
    concepts: z
      .array(z.object({ fromWindow: z.number().int().nonnegative(), threshold: z.number().min(0).max(20) }).strict())
      .min(1)
      .default([
        { fromWindow: 0, threshold: 8 },
        { fromWindow: 10, threshold: 9 },
        { fromWindow: 20, threshold: 7 },
        { fromWindow: 30, threshold: 9.5 },
      ]),
  })
  .strict();

/** Rotating hyperplane: the weight vector turns a little every window (gradual drift). */
export const hyperplaneGeneratorSchema = z
  .object({
    name: z.literal(SyntheticGeneratorName.rotatingHyperplane),
    noise: noise,
    dimensions: z.number().int().min(2).max(50).default(5),
    /** How many of the weights drift. */
    driftingDimensions: z.number().int().min(1).max(50).default(2),
    /** Change of each drifting weight per window. */
    driftPerWindow: z.number().min(0).max(1).default(0.1),
  })
  .strict();

/** Covariate shift: P(x) moves at `shiftAtWindow` (numeric means and the category mix), P(y|x) stays. */
export const covariateShiftGeneratorSchema = z
  .object({
    name: z.literal(SyntheticGeneratorName.covariateShift),
    noise,
    shiftAtWindow: z.number().int().nonnegative().default(10),
  })
  .strict();

export const syntheticGeneratorSchema = z.discriminatedUnion('name', [
  seaGeneratorSchema,
  hyperplaneGeneratorSchema,
  covariateShiftGeneratorSchema,
]);
export type SyntheticGeneratorConfig = z.infer<typeof syntheticGeneratorSchema>;

export const syntheticDataSourceSchema = z
  .object({
    kind: z.literal('synthetic'),
    generator: syntheticGeneratorSchema,
    seed: z.number().int().nonnegative().default(42),
    rowsPerWindow: z.number().int().min(10).max(1_000_000).default(2000),
    /** A snapshot at window w takes windows w-windowsPerSnapshot+1 … w. */
    windowsPerSnapshot: z.number().int().min(1).max(100).default(1),
    /** Window used when a snapshot request names none. */
    defaultWindow: z.number().int().nonnegative().default(0),
    /** Recency window within those windows; absent = all of them. */
    recency: recencyWindowSchema.optional(),
    ...split,
  })
  .strict();

export const csvDataSourceSchema = z
  .object({
    kind: z.literal('csv'),
    /** A .csv/.jsonl file or a folder of them; relative paths resolve against the spec file's folder. */
    path: z.string().min(1),
    format: z.enum(['csv', 'jsonl']).optional(),
    /** Recency window over a time column; absent = every row. */
    recency: csvRecencyWindowSchema.optional(),
    ...split,
  })
  .strict();

export const dataSourceConfigSchema = z.discriminatedUnion('kind', [syntheticDataSourceSchema, csvDataSourceSchema]);
export type DataSourceConfig = z.infer<typeof dataSourceConfigSchema>;
export type SyntheticDataSourceConfig = z.infer<typeof syntheticDataSourceSchema>;
export type CsvDataSourceConfig = z.infer<typeof csvDataSourceSchema>;
