/**
 * `flywheel backtest --csv` on a real dataset: NannyML 0.13.1's synthetic car-loan data
 * (100,000 rows), exported by `npm run provision` into the cache (scripts/lib/nannyml-dataset.ts).
 * Its analysis half carries a real drop in accuracy (NannyML's realized accuracy falls from
 * about 0.94 to 0.91 by row 75,000), so a policy that never retrains pays for it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nannymlCarLoanCsvPath } from '../../src/local-server/cache-dir.js';
import { flywheel } from './cli-support.js';

interface PolicySummary {
  policy: string;
  accuracy: number;
  retrains: number;
}
interface Summary {
  stream: { windows: number; description: string };
  policies: PolicySummary[];
  acceptance: { name: string; held: boolean; detail: string }[];
}

describe('flywheel backtest on NannyML car-loan data', () => {
  it('replays the 100,000 rows and the spec policy beats naive drift retraining with fewer retrains', async () => {
    const csv = nannymlCarLoanCsvPath();
    expect(existsSync(csv), `${csv} is missing: run \`npm run provision\` (it exports the dataset)`).toBe(true);
    const out = await mkdtemp(path.join(tmpdir(), 'ct-bt-car-loan-'));
    // The model must not see NannyML's own predictions or the period split: only the seven features.
    const run = await flywheel(
      [
        'backtest',
        ...['--csv', csv, '--time-column', 'timestamp', '--label-column', 'repaid'],
        ...['--exclude', 'id,period,y_pred_proba,y_pred', '--window-rows', '5000', '--out', out],
      ],
      {},
      150_000,
    );
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(await readFile(path.join(out, 'summary.json'), 'utf8')) as Summary;
    expect(summary.stream.windows).toBe(20);
    expect(summary.stream.description).toContain('100000 rows');
    const by = Object.fromEntries(summary.policies.map((p) => [p.policy, p]));
    expect(Object.keys(by).sort()).toEqual(['naive', 'oracle', 'periodic', 'spec']);
    // The drop in the analysis half makes the spec's policy retrain at least once ...
    expect(by.spec!.retrains).toBeGreaterThanOrEqual(1);
    // ... and the acceptance the backtest prints holds on real data, not only on SEA.
    expect(summary.acceptance.filter((a) => !a.held)).toEqual([]);
    expect(by.spec!.retrains).toBeLessThan(by.naive!.retrains);
    expect(by.spec!.accuracy).toBeGreaterThanOrEqual(by.naive!.accuracy);
    expect(run.stdout).toContain('report:');
  });
});
