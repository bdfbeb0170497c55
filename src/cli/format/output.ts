import { MISSING, finite, safely, shown } from './safe-text.js';

/** stdout carries results (tables, JSON, ids); stderr carries progress and logs. */
export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function note(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Pretty JSON on stdout, for `--json` (one document, nothing else on stdout). */
export function outJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export interface Column<T> {
  header: string;
  value: (row: T) => string;
}

/**
 * A plain aligned text table (no colours: it is piped and grepped as often as read). A cell
 * whose value cannot be rendered says so; the rest of the table still prints.
 */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => oneLine(safely(() => c.value(r)))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header.toUpperCase())), ...cells.map(line)].join('\n');
}

/** Two columns of `label  value` lines. */
export function renderFields(fields: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...fields.map(([k]) => k.length));
  return fields.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${shown(v)}`).join('\n');
}

const oneLine = (s: unknown) => shown(s).replace(/\s+/g, ' ').trim();

/** ISO time to the second; "-" for none, "?" for a value that is not a time. */
export function isoTime(ms: unknown): string {
  if (ms === null || ms === undefined) return '-';
  const t = finite(ms);
  if (t === undefined || Number.isNaN(new Date(t).getTime())) return MISSING;
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "3m12s", "1h05m", "850ms"; "?" for a value that is not a duration. */
export function formatMs(value: unknown): string {
  const ms = finite(value);
  if (ms === undefined) return MISSING;
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1_000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function truncate(value: unknown, max: number): string {
  const s = shown(value);
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
