import { beforeAll, describe, expect, it } from 'vitest';
import { checkAcceptance } from '../../../src/backtest/acceptance.js';
import { runBacktest, type BacktestRun } from '../../../src/backtest/run-backtest.js';
import { builtInSpec, streamOfSpec, type StreamName } from '../../../src/backtest/scenarios.js';
import { summarize, type PolicySummary } from '../../../src/backtest/summary.js';

// The acceptance on a fixed seed, with the built-in streams at their CLI defaults
// (40 windows of 1,000 rows, 6 h windows, the source keeping 10 windows): what
// `flywheel backtest --stream sea-f3` and `--stream hyperplane` print.
const SIZE = { windows: 40, rowsPerWindow: 1000, seed: 42 };
const HISTORY = 10;

async function backtest(name: StreamName): Promise<{ run: BacktestRun; rows: Record<string, PolicySummary> }> {
  const spec = builtInSpec(name, SIZE, HISTORY);
  const stream = { ...streamOfSpec(spec, SIZE, name), windowMs: 6 * 3_600_000 };
  const run = await runBacktest({ spec, stream, historyWindows: HISTORY });
  return { run, rows: Object.fromEntries(summarize(run).map((r) => [r.policy, r])) };
}

describe('backtest: SEA with concept changes and a persistent shift of the irrelevant f3', () => {
  let result: Awaited<ReturnType<typeof backtest>>;
  beforeAll(async () => {
    result = await backtest('sea-f3');
  }, 120_000);

  it("the spec's policy starts no cycle for the f3 shift alone, while naive drift retraining does", () => {
    const { spec, naive } = result.rows;
    expect(spec!.cyclesFromIrrelevantDriftAlone).toBe(0);
    expect(naive!.cyclesFromIrrelevantDriftAlone).toBeGreaterThan(0);
  });

  it('is within 1 point of the oracle and not below naive drift-triggered', () => {
    const { spec, naive, oracle } = result.rows;
    expect(spec!.accuracy).toBeGreaterThanOrEqual(oracle!.accuracy - 0.01);
    expect(spec!.accuracy).toBeGreaterThanOrEqual(naive!.accuracy);
  });

  it('uses at least 30 % fewer retrains than naive drift-triggered; periodic uses as many as the spec', () => {
    const { spec, naive, periodic, oracle } = result.rows;
    expect(spec!.retrains).toBeLessThanOrEqual(0.7 * naive!.retrains);
    expect(periodic!.retrains).toBe(spec!.retrains);
    expect(oracle!.retrains).toBe(3);
  });

  it('reports every check as held, with its numbers', () => {
    const checks = checkAcceptance(result.run, summarize(result.run));
    expect(checks.filter((c) => !c.held)).toEqual([]);
    expect(checks.map((c) => c.name)).toContain('≥ 30 % fewer retrains than naive drift-triggered');
  });
});

describe('backtest: rotating hyperplane (gradual drift)', () => {
  it("the spec's policy is at least as accurate as periodic with the same number of retrains", async () => {
    const { rows } = await backtest('hyperplane');
    const { spec, periodic } = rows;
    expect(periodic!.retrains).toBe(spec!.retrains);
    expect(spec!.retrains).toBeGreaterThan(0);
    expect(spec!.accuracy).toBeGreaterThanOrEqual(periodic!.accuracy);
  }, 120_000);
});
