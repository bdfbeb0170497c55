import { StatsInputError } from '../table.js';

/**
 * What a training batch must look like. A plain type on purpose: `stats/` does not import
 * the domain's zod schemas; the domain maps its validation policy onto this.
 */
export type QualityColumnType = 'numeric' | 'categorical' | 'binary';

export interface QualityColumnSchema {
  readonly name: string;
  /** 'binary' accepts a numeric 0/1 column or a categorical column with at most two values. */
  readonly type: QualityColumnType;
  /** Absent required columns are errors. Default true. */
  readonly required?: boolean;
  /** Inclusive numeric range. */
  readonly min?: number;
  readonly max?: number;
  /** Share of rows outside [min, max] tolerated as a warning. Default 0: any is an error. */
  readonly maxOutOfRangeShare?: number;
  /** Known categories (categorical and categorical-binary columns). */
  readonly allowedValues?: readonly string[];
  /** Overrides the schema-wide limit for this column. */
  readonly maxMissingRate?: number;
  /** Overrides the schema-wide limit for this column. */
  readonly maxUnseenShare?: number;
  /** Set for columns that are legitimately constant (e.g. a version tag). */
  readonly allowConstant?: boolean;
}

export interface QualityLabelSchema {
  readonly name: string;
  readonly task: 'binaryClassification' | 'regression';
  /** Minority class share below which the batch is refused. Default 0.01. */
  readonly minClassShare?: number;
}

export type FindingLevel = 'error' | 'warning' | 'ignore';

export interface QualitySchema {
  readonly columns: readonly QualityColumnSchema[];
  readonly label?: QualityLabelSchema;
  /** Default missing-value limit per column (share of rows). Default 0.05. */
  readonly maxMissingRate?: number;
  /** Default limit on the share of non-missing categorical values not in allowedValues. Default 0.01. */
  readonly maxUnseenShare?: number;
  /** Share of rows that repeat an earlier row. Default 0.05. */
  readonly maxDuplicateRowShare?: number;
  /** Fewer rows is an error. Default 1. */
  readonly minRows?: number;
  /** How a column with a single distinct value is reported. Default 'warning'. */
  readonly constantColumns?: FindingLevel;
  /** How a table column the schema does not name is reported. Default 'warning'. */
  readonly unexpectedColumns?: FindingLevel;
}

export const QUALITY_DEFAULTS = {
  maxMissingRate: 0.05,
  maxUnseenShare: 0.01,
  maxDuplicateRowShare: 0.05,
  minClassShare: 0.01,
  minRows: 1,
  constantColumns: 'warning',
  unexpectedColumns: 'warning',
} as const;

const isShare = (v: unknown): boolean => v === undefined || (typeof v === 'number' && v >= 0 && v <= 1);

/**
 * A schema that contradicts itself is a programming error, not a data-quality finding:
 * refuse it up front so no report is ever built on it.
 */
export function assertValidSchema(schema: QualitySchema): void {
  const seen = new Set<string>();
  const shares: Array<[string, unknown]> = [
    ['maxMissingRate', schema.maxMissingRate],
    ['maxUnseenShare', schema.maxUnseenShare],
    ['maxDuplicateRowShare', schema.maxDuplicateRowShare],
    ['label.minClassShare', schema.label?.minClassShare],
  ];
  for (const column of schema.columns) {
    if (seen.has(column.name)) throw new StatsInputError(`quality schema: column "${column.name}" is listed twice`);
    seen.add(column.name);
    if (!['numeric', 'categorical', 'binary'].includes(column.type)) {
      throw new StatsInputError(`quality schema: column "${column.name}" has unknown type "${String(column.type)}"`);
    }
    if (column.min !== undefined && column.max !== undefined && column.min > column.max) {
      throw new StatsInputError(`quality schema: column "${column.name}" has min ${column.min} > max ${column.max}`);
    }
    for (const key of ['maxMissingRate', 'maxUnseenShare', 'maxOutOfRangeShare'] as const) {
      shares.push([`columns["${column.name}"].${key}`, column[key]]);
    }
  }
  for (const [name, value] of shares) {
    if (!isShare(value))
      throw new StatsInputError(`quality schema: ${name} must be a share in [0, 1], got ${String(value)}`);
  }
  if (schema.minRows !== undefined && !(Number.isInteger(schema.minRows) && schema.minRows >= 0)) {
    throw new StatsInputError(`quality schema: minRows must be a non-negative integer, got ${String(schema.minRows)}`);
  }
}
