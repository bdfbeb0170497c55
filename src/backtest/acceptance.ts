import type { BacktestRun } from './run-backtest.js';
import type { PolicySummary } from './summary.js';

/** One relation the issue asks the spec's policy to meet, with the numbers it was judged on. */
export interface AcceptanceCheck {
  readonly name: string;
  readonly held: boolean;
  readonly detail: string;
}

const pts = (x: number) => `${(x * 100).toFixed(2)}%`;

/**
 * The relations between the spec's policy and the baselines that apply to this stream:
 * no retrain for an irrelevant feature's drift alone (when the stream knows one), within
 * 1 point of the oracle (when it knows its changes), not below naive drift-triggered and
 * ≥ 30 % fewer retrains than it (when it retrained at all), not below periodic.
 */
export function checkAcceptance(run: BacktestRun, rows: readonly PolicySummary[]): AcceptanceCheck[] {
  const by = (id: string) => rows.find((r) => r.policy === id);
  const spec = by('spec');
  const periodic = by('periodic');
  const naive = by('naive');
  const oracle = by('oracle');
  if (!spec || !periodic || !naive || !oracle) return [];
  const checks: AcceptanceCheck[] = [];
  if (run.stream.irrelevantFeatures.length > 0)
    checks.push({
      name: `no cycle for drift of ${run.stream.irrelevantFeatures.join(', ')} alone`,
      held: spec.cyclesFromIrrelevantDriftAlone === 0,
      detail: `spec ${spec.cyclesFromIrrelevantDriftAlone}, naive ${naive.cyclesFromIrrelevantDriftAlone}`,
    });
  if (run.stream.conceptChanges.length > 0)
    checks.push({
      name: 'accuracy within 1 point of the oracle',
      held: spec.accuracy >= oracle.accuracy - 0.01,
      detail: `spec ${pts(spec.accuracy)}, oracle ${pts(oracle.accuracy)}`,
    });
  checks.push({
    name: 'accuracy not below naive drift-triggered',
    held: spec.accuracy >= naive.accuracy,
    detail: `spec ${pts(spec.accuracy)}, naive ${pts(naive.accuracy)}`,
  });
  if (naive.retrains > 0)
    checks.push({
      name: '≥ 30 % fewer retrains than naive drift-triggered',
      held: spec.retrains <= 0.7 * naive.retrains,
      detail: `spec ${spec.retrains}, naive ${naive.retrains} (${Math.round((1 - spec.retrains / naive.retrains) * 100)} % fewer)`,
    });
  checks.push({
    name: 'accuracy not below periodic with as many retrains',
    held: spec.accuracy >= periodic.accuracy,
    detail: `spec ${pts(spec.accuracy)} with ${spec.retrains}, periodic ${pts(periodic.accuracy)} with ${periodic.retrains}`,
  });
  return checks;
}

/** Lines for the terminal: one per check. */
export function formatChecks(checks: readonly AcceptanceCheck[]): string {
  return checks.map((c) => `${c.held ? 'held ' : 'NOT  '} ${c.name}: ${c.detail}`).join('\n');
}
