/** The checks a data-quality report can contain; values are stable ids for dashboards. */
export const QualityCheck = {
  rowCount: 'row-count',
  requiredColumn: 'required-column',
  unexpectedColumn: 'unexpected-column',
  columnType: 'column-type',
  nonFinite: 'non-finite',
  missingRate: 'missing-rate',
  range: 'range',
  binaryValues: 'binary-values',
  unseenCategories: 'unseen-categories',
  duplicateRows: 'duplicate-rows',
  constantColumn: 'constant-column',
  labelPresence: 'label-presence',
  labelValues: 'label-values',
  classBalance: 'class-balance',
} as const;
export type QualityCheck = (typeof QualityCheck)[keyof typeof QualityCheck];

export interface QualityFinding {
  readonly check: QualityCheck;
  readonly column?: string;
  /** 'error' blocks training; 'warning' is recorded with the dataset. */
  readonly severity: 'error' | 'warning';
  /** What is wrong, by how much, and what to do about it. */
  readonly message: string;
  readonly observed: number | string | null;
  readonly limit: number | string | null;
}

/** 0.125 → "12.5%", 0.00012 → "0.012%": enough digits to see why a limit was crossed. */
export function percent(share: number): string {
  const p = share * 100;
  if (p === 0) return '0%';
  if (Math.abs(p) < 0.01) return `${Number(p.toPrecision(2))}%`;
  return `${Number(p.toFixed(2))}%`;
}

/** A short, quoted list of example values for a message. */
export function examples(values: Iterable<string>, max = 3): string {
  const list: string[] = [];
  for (const v of values) {
    if (list.length === max) {
      list.push('…');
      break;
    }
    list.push(JSON.stringify(v));
  }
  return list.join(', ');
}
