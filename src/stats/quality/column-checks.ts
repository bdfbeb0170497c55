import type { Column } from '../table.js';
import type { ColumnProfile } from './column-summary.js';
import { examples, percent, QualityCheck, type QualityFinding } from './findings.js';
import { QUALITY_DEFAULTS, type QualityColumnSchema, type QualitySchema } from './schema.js';

/** Where the limits live in the user's configuration, for "raise …" hints in messages. */
export interface MessageContext {
  readonly configPath: string;
}

/**
 * Checks of one present column against its schema entry: type, non-finite numbers,
 * missing rate, range, binary values, unseen categories, constant values.
 */
export function checkColumn(
  spec: QualityColumnSchema,
  column: Column,
  profile: ColumnProfile,
  schema: QualitySchema,
  ctx: MessageContext,
): QualityFinding[] {
  const findings: QualityFinding[] = [];
  const name = spec.name;
  const s = profile.summary;
  const where = `column "${name}"`;
  const setting = (key: string): string => `${ctx.configPath}.columns["${name}"].${key}`;

  if (spec.type === 'numeric' && column.kind !== 'numeric') {
    // Values that are not numbers at all explain the problem best: show them first.
    const values = [...(profile.categoryCounts?.keys() ?? [])];
    const notNumbers = values.filter((v) => v.trim() === '' || !Number.isFinite(Number(v)));
    const sample = examples([...notNumbers, ...values.filter((v) => !notNumbers.includes(v))]);
    findings.push({
      check: QualityCheck.columnType,
      column: name,
      severity: 'error',
      observed: 'categorical',
      limit: 'numeric',
      message: `${where}: expected numbers but found text values (e.g. ${sample}); fix the export so the column holds numbers, or declare it categorical`,
    });
    return findings; // the numeric checks below would only repeat this
  }
  if (spec.type === 'categorical' && column.kind !== 'categorical') {
    findings.push({
      check: QualityCheck.columnType,
      column: name,
      severity: 'error',
      observed: 'numeric',
      limit: 'categorical',
      message: `${where}: expected categories but found a numeric column; export it as text or declare it numeric`,
    });
    return findings;
  }

  if (s.nonFiniteCount > 0) {
    findings.push({
      check: QualityCheck.nonFinite,
      column: name,
      severity: 'error',
      observed: s.nonFiniteCount,
      limit: 0,
      message: `${where}: ${s.nonFiniteCount} value(s) are ±Infinity, not finite numbers; fix the upstream computation (division by zero?) or map them to missing`,
    });
  }

  const maxMissing = spec.maxMissingRate ?? schema.maxMissingRate ?? QUALITY_DEFAULTS.maxMissingRate;
  if (s.missingRate > maxMissing || (s.rowCount > 0 && s.missingCount === s.rowCount && maxMissing < 1)) {
    const all = s.missingCount === s.rowCount;
    findings.push({
      check: QualityCheck.missingRate,
      column: name,
      severity: 'error',
      observed: s.missingRate,
      limit: maxMissing,
      message: all
        ? `${where}: all ${s.rowCount} values are missing; the upstream export probably dropped this column`
        : `${where}: ${percent(s.missingRate)} missing exceeds the limit of ${percent(maxMissing)}; fix the upstream export or raise ${ctx.configPath}.maxMissingRate (or ${setting('maxMissingRate')})`,
    });
  }

  if (column.kind === 'numeric' && (spec.min !== undefined || spec.max !== undefined)) {
    findings.push(...checkRange(spec, column.values, s.rowCount, where, setting));
  }
  if (spec.type === 'binary') findings.push(...checkBinary(spec, column, profile, where));
  if (column.kind === 'categorical' && spec.allowedValues !== undefined) {
    findings.push(...checkUnseen(spec, profile, schema, where, setting));
  }

  const constantLevel = spec.allowConstant ? 'ignore' : (schema.constantColumns ?? QUALITY_DEFAULTS.constantColumns);
  if (constantLevel !== 'ignore' && s.uniqueCount === 1 && s.rowCount > 1) {
    const value =
      column.kind === 'numeric' ? String(s.min ?? s.max) : examples(profile.categoryCounts?.keys() ?? [], 1);
    findings.push({
      check: QualityCheck.constantColumn,
      column: name,
      severity: constantLevel,
      observed: 1,
      limit: 2,
      message: `${where}: every non-missing value is ${value}, so it carries no signal; check the upstream join, or set ${setting('allowConstant')} if that is expected`,
    });
  }
  return findings;
}

function checkRange(
  spec: QualityColumnSchema,
  values: Float64Array,
  rowCount: number,
  where: string,
  setting: (k: string) => string,
): QualityFinding[] {
  const lo = spec.min ?? -Infinity;
  const hi = spec.max ?? Infinity;
  let outside = 0,
    below = Infinity,
    above = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v) || (v >= lo && v <= hi)) continue;
    outside++;
    if (v < lo) below = Math.min(below, v);
    if (v > hi) above = Math.max(above, v);
  }
  if (outside === 0) return [];
  const share = outside / rowCount;
  const limit = spec.maxOutOfRangeShare ?? 0;
  const seen = [below !== Infinity ? `min ${below}` : '', above !== -Infinity ? `max ${above}` : '']
    .filter(Boolean)
    .join(', ');
  return [
    {
      check: QualityCheck.range,
      column: spec.name,
      severity: share > limit ? 'error' : 'warning',
      observed: share,
      limit,
      message: `${where}: ${outside} value(s) (${percent(share)}) outside the allowed range [${spec.min ?? '-∞'}, ${spec.max ?? '∞'}] (seen ${seen}); fix or filter the bad rows upstream, or widen ${setting('min')}/${setting('max')} if the range changed`,
    },
  ];
}

function checkBinary(
  spec: QualityColumnSchema,
  column: Column,
  profile: ColumnProfile,
  where: string,
): QualityFinding[] {
  if (column.kind === 'numeric') {
    let bad = 0;
    const other = new Set<string>();
    for (let i = 0; i < column.values.length; i++) {
      const v = column.values[i]!;
      if (Number.isNaN(v) || v === 0 || v === 1) continue;
      bad++;
      if (other.size < 4) other.add(String(v));
    }
    if (bad === 0) return [];
    return [
      {
        check: QualityCheck.binaryValues,
        column: spec.name,
        severity: 'error',
        observed: bad,
        limit: 0,
        message: `${where}: ${bad} value(s) are not 0 or 1 (e.g. ${[...other].join(', ')}); encode the flag as 0/1 upstream or declare the column numeric`,
      },
    ];
  }
  const distinct = profile.categoryCounts?.size ?? 0;
  if (distinct <= 2) return [];
  return [
    {
      check: QualityCheck.binaryValues,
      column: spec.name,
      severity: 'error',
      observed: distinct,
      limit: 2,
      message: `${where}: ${distinct} distinct values (${examples(profile.categoryCounts!.keys(), 4)}) where at most 2 are expected; fix the encoding upstream or declare the column categorical`,
    },
  ];
}

function checkUnseen(
  spec: QualityColumnSchema,
  profile: ColumnProfile,
  schema: QualitySchema,
  where: string,
  setting: (k: string) => string,
): QualityFinding[] {
  const allowed = new Set(spec.allowedValues);
  let unseen = 0,
    present = 0;
  const unseenValues: string[] = [];
  for (const [value, count] of profile.categoryCounts!) {
    present += count;
    if (allowed.has(value)) continue;
    unseen += count;
    unseenValues.push(value);
  }
  if (unseen === 0) return [];
  const share = unseen / present;
  const limit = spec.maxUnseenShare ?? schema.maxUnseenShare ?? QUALITY_DEFAULTS.maxUnseenShare;
  const error = share > limit;
  return [
    {
      check: QualityCheck.unseenCategories,
      column: spec.name,
      severity: error ? 'error' : 'warning',
      observed: share,
      limit,
      message:
        `${where}: ${percent(share)} of values are not in allowedValues (${unseenValues.length} new: ${examples(unseenValues)})` +
        (error
          ? ` and exceed the limit of ${percent(limit)}; add them to ${setting('allowedValues')} if they are legitimate, or fix the upstream mapping`
          : `, within the limit of ${percent(limit)}; add them to ${setting('allowedValues')} if they are here to stay`),
    },
  ];
}
