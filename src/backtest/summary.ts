import type { BacktestRun } from './run-backtest.js';
import type { PolicyId } from './policies.js';
import type { ReplayResult } from './replay.js';

/** One policy's figures: a row of the printed table and of the JSON summary. */
export interface PolicySummary {
  readonly policy: PolicyId;
  readonly label: string;
  readonly rule: string;
  readonly data: string;
  /** Prequential accuracy averaged over the replayed windows (each window weighs the same). */
  readonly accuracy: number;
  readonly retrains: number;
  readonly promotions: number;
  /** Measured wall-clock seconds inside the trainer, summed over the retrains. */
  readonly trainSeconds: number;
  /** Labelled rows used: training snapshots plus the labels the performance monitor read. */
  readonly labelsUsed: number;
  readonly trainingLabels: number;
  readonly monitoringLabels: number;
  readonly alertsRaised: number;
  readonly alertsActedOn: number;
  /** Retrains started by drift alerts about the stream's irrelevant features alone (SEA's f3). */
  readonly cyclesFromIrrelevantDriftAlone: number;
  readonly cycles: ReplayResult['cycles'];
  readonly windowAccuracy: readonly number[];
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Per-policy figures of a run, in the run's order (spec, periodic, naive, oracle). */
export function summarize(run: BacktestRun): PolicySummary[] {
  const irrelevant = new Set(run.stream.irrelevantFeatures);
  return run.results.map((r) => {
    const trainingLabels = r.cycles.reduce((n, c) => n + c.labels, 0);
    return {
      policy: r.policy.id,
      label: r.policy.label,
      rule: r.policy.rule,
      data: r.policy.data,
      accuracy: mean(r.windowAccuracy),
      retrains: r.cycles.length,
      promotions: r.cycles.filter((c) => c.promoted).length,
      trainSeconds: r.cycles.reduce((s, c) => s + c.trainSeconds, 0),
      labelsUsed: trainingLabels + r.monitoringLabels,
      trainingLabels,
      monitoringLabels: r.monitoringLabels,
      alertsRaised: r.alertsRaised,
      alertsActedOn: r.alertsActedOn,
      cyclesFromIrrelevantDriftAlone: r.cycles.filter(
        (c) =>
          irrelevant.size > 0 &&
          !c.scheduled &&
          c.alerts.length > 0 &&
          c.alerts.every((a) => a.kind === 'drift' && a.features.every((f) => irrelevant.has(f))),
      ).length,
      cycles: r.cycles,
      windowAccuracy: r.windowAccuracy,
    };
  });
}

const pad = (s: string, n: number, right = false) => (right ? s.padStart(n) : s.padEnd(n));

/** Column heads of the side-by-side table (the CLI's and the HTML report's). */
export const TABLE_COLUMNS = [
  'policy',
  'accuracy',
  'retrains',
  'promoted',
  'train s',
  'labels used',
  'alerts acted/raised',
  'irrelevant-only',
  'retrains on',
] as const;

/** One policy's cells, in TABLE_COLUMNS order. */
export function tableCells(r: PolicySummary): string[] {
  return [
    r.label,
    `${(r.accuracy * 100).toFixed(2)}%`,
    String(r.retrains),
    String(r.promotions),
    r.trainSeconds.toFixed(2),
    r.labelsUsed.toLocaleString('en-US'),
    `${r.alertsActedOn}/${r.alertsRaised}`,
    String(r.cyclesFromIrrelevantDriftAlone),
    `${r.rule}; ${r.data}`,
  ];
}

/** The four rows side by side, as the CLI prints them. */
export function formatTable(rows: readonly PolicySummary[]): string {
  const head = [...TABLE_COLUMNS];
  const body = rows.map(tableCells);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => pad(c, widths[i]!, i > 0 && i < cells.length - 1))
      .join('  ')
      .trimEnd();
  return [line(head), ...body.map(line)].join('\n');
}
