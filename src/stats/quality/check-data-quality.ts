import { StatsInputError, type Column, type Table } from '../table.js';
import { checkColumn } from './column-checks.js';
import { profileColumn, type ColumnProfile, type ColumnSummary } from './column-summary.js';
import { countDuplicateRows } from './duplicate-rows.js';
import { percent, QualityCheck, type QualityFinding } from './findings.js';
import { checkLabel } from './label-checks.js';
import { assertValidSchema, QUALITY_DEFAULTS, type QualitySchema } from './schema.js';

export interface QualityOptions {
  /**
   * Prefix of the user's setting names in "raise …" hints, e.g. `validation` gives
   * "raise validation.maxMissingRate". Default 'validation'.
   */
  readonly configPath?: string;
}

export interface QualityReport {
  /** True when no finding is an error: the batch may be used for training. */
  readonly passed: boolean;
  readonly rowCount: number;
  readonly errorCount: number;
  readonly warningCount: number;
  /** Errors first, then warnings, each in schema column order. */
  readonly findings: readonly QualityFinding[];
  /** One entry per column of the table. */
  readonly columns: readonly ColumnSummary[];
}

/**
 * Checks a tabular batch against a schema before it may be trained on: row count,
 * required and unexpected columns, column types, non-finite numbers, missing rates,
 * numeric ranges, binary values, allowed and unseen categories, duplicate rows, constant
 * columns, label presence and class balance. Problems in the data become findings with
 * a severity and an actionable message; a malformed table or schema (columns of the wrong
 * length, contradictory limits) throws StatsInputError instead.
 */
export function checkDataQuality(table: Table, schema: QualitySchema, options: QualityOptions = {}): QualityReport {
  assertValidSchema(schema);
  assertWellFormed(table);
  const ctx = { configPath: options.configPath ?? 'validation' };
  const profiles = new Map<string, ColumnProfile>();
  for (const [name, column] of Object.entries(table.columns)) profiles.set(name, profileColumn(name, column));

  const findings: QualityFinding[] = [];
  const minRows = schema.minRows ?? QUALITY_DEFAULTS.minRows;
  if (table.rowCount < minRows) {
    findings.push({
      check: QualityCheck.rowCount,
      severity: 'error',
      observed: table.rowCount,
      limit: minRows,
      message: `the batch has ${table.rowCount} row(s), fewer than the minimum of ${minRows}; check the snapshot query's time window and filters`,
    });
  }

  const known = new Set(schema.columns.map((c) => c.name));
  if (schema.label) known.add(schema.label.name);
  for (const spec of schema.columns) {
    const column = table.columns[spec.name];
    if (column === undefined) {
      if (spec.required ?? true) {
        findings.push({
          check: QualityCheck.requiredColumn,
          column: spec.name,
          severity: 'error',
          observed: null,
          limit: null,
          message: `column "${spec.name}" is required but absent from the batch; add it to the export or mark it required: false`,
        });
      }
      continue;
    }
    if (table.rowCount > 0) findings.push(...checkColumn(spec, column, profiles.get(spec.name)!, schema, ctx));
  }

  const unexpectedLevel = schema.unexpectedColumns ?? QUALITY_DEFAULTS.unexpectedColumns;
  if (unexpectedLevel !== 'ignore') {
    for (const name of Object.keys(table.columns)) {
      if (known.has(name)) continue;
      findings.push({
        check: QualityCheck.unexpectedColumn,
        column: name,
        severity: unexpectedLevel,
        observed: name,
        limit: null,
        message: `column "${name}" is not in the schema and will be ignored; add it to the schema if the model should use it`,
      });
    }
  }

  if (schema.label && table.rowCount > 0) {
    findings.push(...checkLabel(table, schema.label, profiles.get(schema.label.name), ctx));
  }

  findings.push(...checkDuplicates(table, [...known], schema, ctx.configPath));

  const ordered = [
    ...findings.filter((f) => f.severity === 'error'),
    ...findings.filter((f) => f.severity === 'warning'),
  ];
  const errorCount = findings.filter((f) => f.severity === 'error').length;
  return {
    passed: errorCount === 0,
    rowCount: table.rowCount,
    errorCount,
    warningCount: findings.length - errorCount,
    findings: ordered,
    columns: [...profiles.values()].map((p) => p.summary),
  };
}

function checkDuplicates(table: Table, names: string[], schema: QualitySchema, configPath: string): QualityFinding[] {
  const columns = names.map((n) => table.columns[n]).filter((c): c is Column => c !== undefined);
  const duplicates = countDuplicateRows(columns, table.rowCount);
  if (duplicates === 0) return [];
  const share = duplicates / table.rowCount;
  const limit = schema.maxDuplicateRowShare ?? QUALITY_DEFAULTS.maxDuplicateRowShare;
  const error = share > limit;
  return [
    {
      check: QualityCheck.duplicateRows,
      severity: error ? 'error' : 'warning',
      observed: share,
      limit,
      message:
        `${duplicates} row(s) (${percent(share)}) repeat an earlier row` +
        (error
          ? `, above the limit of ${percent(limit)}; deduplicate the snapshot (a join fan-out or a replayed export?) or raise ${configPath}.maxDuplicateRowShare`
          : `, within the limit of ${percent(limit)}`),
    },
  ];
}

/** A table whose columns disagree with its row count is a caller bug, not a data finding. */
function assertWellFormed(table: Table): void {
  if (!Number.isInteger(table.rowCount) || table.rowCount < 0) {
    throw new StatsInputError(
      `checkDataQuality: rowCount must be a non-negative integer, got ${String(table.rowCount)}`,
    );
  }
  for (const [name, column] of Object.entries(table.columns)) {
    if (column.kind === 'numeric' && !(column.values instanceof Float64Array)) {
      throw new StatsInputError(`checkDataQuality: numeric column "${name}" must be a Float64Array`);
    }
    if (column.values.length !== table.rowCount) {
      throw new StatsInputError(
        `checkDataQuality: column "${name}" has ${column.values.length} values but the table has ${table.rowCount} rows`,
      );
    }
  }
}
