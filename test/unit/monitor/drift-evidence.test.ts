import { describe, expect, it } from 'vitest';
import { featureDrifts } from '../../../src/monitor/drift-evidence.js';
import { judgeDrift } from '../../../src/domain/monitor/drift-finding.js';
import { buildReferenceProfile } from '../../../src/stats/drift/reference-profile.js';
import { createRng } from '../../../src/stats/random.js';
import { numeric, type Table } from '../../../src/stats/table.js';

function uniformTable(rows: number, seed: number, f3Range: [number, number] = [0, 10]): Table {
  const rng = createRng(seed);
  const col = (lo: number, hi: number) =>
    numeric(Float64Array.from({ length: rows }, () => lo + rng.nextFloat() * (hi - lo)));
  return { rowCount: rows, columns: { f1: col(0, 10), f2: col(0, 10), f3: col(...f3Range) } };
}

const reference = buildReferenceProfile(uniformTable(3000, 1));
const thresholds = {
  driftFloor: 0.3,
  performanceFloor: 0.02,
  minDriftRows: 200,
  minLabeledRows: 200,
  minDegradationZ: 2.33,
  resignalAfterMs: 0,
};

describe('feature drift of a production window', () => {
  it('finds the shifted feature and only that one', () => {
    const drifts = featureDrifts(reference, uniformTable(800, 2, [5, 10]), {});
    expect(drifts.filter((d) => d.drifted).map((d) => d.feature)).toEqual(['f3']);
    expect(judgeDrift({ rows: 800, fromMs: 0, toMs: 1, features: drifts }, thresholds).status).toBe('drifted');
  });

  it('sees no drift in a window from the reference distribution', () => {
    const drifts = featureDrifts(reference, uniformTable(800, 3), {});
    expect(drifts).toHaveLength(3);
    expect(drifts.some((d) => d.drifted)).toBe(false);
  });

  it('ignores profile columns the prediction log does not carry', () => {
    const window = uniformTable(800, 4);
    const withoutF2: Table = { rowCount: window.rowCount, columns: { f1: window.columns.f1!, f3: window.columns.f3! } };
    expect(featureDrifts(reference, withoutF2, {}).map((d) => d.feature)).toEqual(['f1', 'f3']);
  });
});
