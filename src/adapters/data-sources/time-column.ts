import { DatasetSchemaError } from './errors.js';

/**
 * One row's time from a time column: a number is taken as epoch milliseconds, a string as
 * an ISO-8601 date (or anything `Date.parse` reads). A missing or unreadable time is an
 * error naming the file, line and column: rows without a time cannot be placed in a window.
 */
export function parseTime(raw: unknown, where: { file: string; column: string; line: number }): number {
  const value = typeof raw === 'string' ? raw.trim() : raw;
  const ms =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value !== ''
        ? /^-?\d+(\.\d+)?$/.test(value)
          ? Number(value)
          : Date.parse(value)
        : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new DatasetSchemaError(
      `${where.file} line ${where.line}: time column "${where.column}" has ${JSON.stringify(raw ?? null)}, expected epoch ms or an ISO-8601 date`,
      where.file,
      where.column,
      where.line,
    );
  }
  return ms;
}
