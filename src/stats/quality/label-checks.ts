import type { Table } from '../table.js';
import type { ColumnProfile } from './column-summary.js';
import { percent, QualityCheck, type QualityFinding } from './findings.js';
import { QUALITY_DEFAULTS, type QualityLabelSchema } from './schema.js';
import type { MessageContext } from './column-checks.js';

/** Label present, complete, of the right kind, and (for classification) not too imbalanced. */
export function checkLabel(
  table: Table,
  label: QualityLabelSchema,
  profile: ColumnProfile | undefined,
  ctx: MessageContext,
): QualityFinding[] {
  const name = label.name;
  const where = `label "${name}"`;
  const column = table.columns[name];
  if (column === undefined || profile === undefined) {
    return [
      {
        check: QualityCheck.labelPresence,
        column: name,
        severity: 'error',
        observed: null,
        limit: null,
        message: `${where}: the batch has no label column; join the delayed labels before training or fix ${ctx.configPath}.label.name`,
      },
    ];
  }
  const s = profile.summary;
  const findings: QualityFinding[] = [];
  if (s.missingCount > 0) {
    findings.push({
      check: QualityCheck.labelPresence,
      column: name,
      severity: 'error',
      observed: s.missingRate,
      limit: 0,
      message: `${where}: ${s.missingCount} row(s) (${percent(s.missingRate)}) have no label; drop unlabeled rows before snapshotting or wait for their feedback`,
    });
  }
  if (label.task === 'regression') {
    if (column.kind !== 'numeric') {
      findings.push({
        check: QualityCheck.labelValues,
        column: name,
        severity: 'error',
        observed: 'categorical',
        limit: 'numeric',
        message: `${where}: a regression label must be numeric but the column holds text; fix the export`,
      });
    } else if (s.nonFiniteCount > 0) {
      findings.push({
        check: QualityCheck.labelValues,
        column: name,
        severity: 'error',
        observed: s.nonFiniteCount,
        limit: 0,
        message: `${where}: ${s.nonFiniteCount} label(s) are ±Infinity; fix the upstream computation`,
      });
    }
    return findings;
  }
  const classes = classCounts(column.kind === 'numeric' ? column.values : null, profile);
  if (classes.invalid.length > 0) {
    findings.push({
      check: QualityCheck.labelValues,
      column: name,
      severity: 'error',
      observed: classes.invalid.join(', '),
      limit: '0, 1',
      message: `${where}: binary classification needs labels 0 and 1 but found ${classes.invalid.join(', ')}; map the classes to 0/1 upstream`,
    });
    return findings;
  }
  const present = classes.counts.reduce((a, b) => a + b, 0);
  if (present === 0) return findings;
  const minority = Math.min(...classes.counts) / present;
  const limit = label.minClassShare ?? QUALITY_DEFAULTS.minClassShare;
  if (classes.counts.length < 2 || minority === 0) {
    findings.push({
      check: QualityCheck.classBalance,
      column: name,
      severity: 'error',
      observed: 0,
      limit,
      message: `${where}: only one class is present, so a classifier cannot be trained or evaluated; widen the snapshot window or check the label join`,
    });
  } else if (minority < limit) {
    findings.push({
      check: QualityCheck.classBalance,
      column: name,
      severity: 'error',
      observed: minority,
      limit,
      message: `${where}: the minority class is ${percent(minority)} of rows, below the limit of ${percent(limit)}; collect more positive examples, or lower ${ctx.configPath}.label.minClassShare if this rate is expected`,
    });
  }
  return findings;
}

/** Counts of the two classes; numeric labels must be 0/1, categorical ones at most two values. */
function classCounts(numeric: Float64Array | null, profile: ColumnProfile): { counts: number[]; invalid: string[] } {
  if (numeric === null) {
    const counts = [...profile.categoryCounts!.values()];
    const invalid =
      counts.length > 2 ? [...profile.categoryCounts!.keys()].slice(0, 4).map((v) => JSON.stringify(v)) : [];
    return { counts: counts.length === 1 ? [counts[0]!, 0] : counts, invalid };
  }
  let zeros = 0,
    ones = 0;
  const invalid = new Set<string>();
  for (let i = 0; i < numeric.length; i++) {
    const v = numeric[i]!;
    if (v === 0) zeros++;
    else if (v === 1) ones++;
    else if (!Number.isNaN(v) && invalid.size < 4) invalid.add(String(v));
  }
  return { counts: [zeros, ones], invalid: [...invalid] };
}
