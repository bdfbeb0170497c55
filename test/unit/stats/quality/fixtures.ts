import type { QualitySchema } from '../../../../src/stats/quality/index.js';
import { createRng } from '../../../../src/stats/random.js';
import { categorical, numeric, type Column, type Table } from '../../../../src/stats/table.js';

export const schema: QualitySchema = {
  columns: [
    { name: 'age', type: 'numeric', min: 18, max: 100 },
    { name: 'income', type: 'numeric', min: 0 },
    { name: 'country', type: 'categorical', allowedValues: ['DE', 'FR', 'IT', 'ES'] },
    { name: 'is_member', type: 'binary' },
    { name: 'nickname', type: 'categorical', required: false },
  ],
  label: { name: 'churned', task: 'binaryClassification', minClassShare: 0.05 },
  maxMissingRate: 0.05,
  maxDuplicateRowShare: 0.02,
};

/** A batch that passes the schema above; tests overwrite one column at a time. */
export function cleanColumns(n = 400): Record<string, Column> {
  const r = createRng(42);
  const countries = ['DE', 'FR', 'IT', 'ES'];
  return {
    age: numeric(Float64Array.from({ length: n }, () => 18 + r.nextInt(70))),
    income: numeric(Float64Array.from({ length: n }, () => Math.round(20000 + 50000 * r.nextFloat()))),
    country: categorical(Array.from({ length: n }, () => countries[r.nextInt(4)]!)),
    is_member: numeric(Float64Array.from({ length: n }, () => r.nextInt(2))),
    churned: numeric(Float64Array.from({ length: n }, () => (r.nextFloat() < 0.3 ? 1 : 0))),
  };
}

export function table(columns: Record<string, Column>): Table {
  const first = Object.values(columns)[0];
  return { rowCount: first ? first.values.length : 0, columns };
}
