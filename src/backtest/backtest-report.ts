import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ReportMarkerKind, TimeUnit, writeReport, type RunReportInput, type WrittenReport } from '../report/index.js';
import type { BacktestRun } from './run-backtest.js';
import { checkAcceptance, type AcceptanceCheck } from './acceptance.js';
import { TABLE_COLUMNS, tableCells, type PolicySummary } from './summary.js';

const COLORS: Record<string, string> = {
  spec: '#2563eb',
  periodic: '#9ca3af',
  naive: '#dc2626',
  oracle: '#16a34a',
};

/** The accuracy chart and tables of a backtest, in the demo report's format (src/report). */
export function backtestReport(
  run: BacktestRun,
  rows: readonly PolicySummary[],
  checks: readonly AcceptanceCheck[],
): RunReportInput {
  const at = (window: number) => window * 1000;
  const spec = rows[0];
  const markers: RunReportInput['markers'] = [
    ...run.stream.conceptChanges.map((w) => ({
      tMs: at(w),
      kind: ReportMarkerKind.conceptChange,
      label: `concept change w${w}`,
    })),
    ...run.stream.covariateShifts.map((w) => ({
      tMs: at(w),
      kind: ReportMarkerKind.driftDetected,
      label: `covariate shift w${w}`,
    })),
    ...(spec?.cycles ?? []).map((c) => ({
      tMs: at(c.window + 1),
      kind: c.promoted ? ReportMarkerKind.promotion : ReportMarkerKind.cycleStarted,
      label: `spec cycle ${c.cycle}${c.promoted ? ' promoted' : ' rejected'}`,
    })),
  ];
  const failed = checks.filter((c) => !c.held);
  return {
    title: `Policy backtest: ${run.stream.name}`,
    subtitle: `${run.stream.description}; ${run.stream.windowCount} windows`,
    startedAtMs: 0,
    timeAxis: { title: 'window of the replayed stream', unit: TimeUnit.windows },
    series: rows.map((r) => ({
      id: r.policy,
      label: `${r.label} (${(r.accuracy * 100).toFixed(1)}%)`,
      color: COLORS[r.policy] ?? '#111827',
      dashed: r.policy === 'oracle' || r.policy === 'periodic',
      points: r.windowAccuracy.map((accuracy, i) => ({ tMs: at(i + 1), accuracy, count: 0 })),
    })),
    markers,
    figures: [
      { label: 'stream', value: run.stream.description },
      { label: 'trainer', value: `${run.spec.trainer.kind} (${run.spec.trainer.strategy})` },
      {
        label: 'baselines train on',
        value:
          run.baselineData === 'spec' ? "the spec's recency window" : `the source's last ${run.historyWindows} windows`,
      },
    ],
    tables: [
      { title: 'Policies side by side', columns: [...TABLE_COLUMNS], rows: rows.map(tableCells) },
      ...(checks.length > 0
        ? [
            {
              title: 'Acceptance',
              columns: ['check', 'held', 'numbers'],
              rows: checks.map((c) => [c.name, c.held ? 'yes' : 'NO', c.detail]),
            },
          ]
        : []),
    ],
    ...(checks.length > 0
      ? {
          verdict:
            failed.length === 0 ? 'All acceptance relations held.' : `Not met: ${failed.map((c) => c.name).join('; ')}`,
        }
      : {}),
  };
}

export interface WrittenBacktest extends WrittenReport {
  readonly summaryPath: string;
}

/** Writes report.html/png/json (src/report) and summary.json (the figures per policy and the checks). */
export async function writeBacktest(
  dir: string,
  run: BacktestRun,
  rows: readonly PolicySummary[],
): Promise<WrittenBacktest> {
  const checks = checkAcceptance(run, rows);
  const written = await writeReport(dir, backtestReport(run, rows, checks));
  const summaryPath = path.join(dir, 'summary.json');
  const summary = {
    stream: {
      name: run.stream.name,
      description: run.stream.description,
      windows: run.stream.windowCount,
      windowMs: run.stream.windowMs,
      conceptChanges: run.stream.conceptChanges,
      covariateShifts: run.stream.covariateShifts,
    },
    specId: run.spec.id,
    historyWindows: run.historyWindows,
    baselineData: run.baselineData,
    policies: rows,
    acceptance: checks,
  };
  await writeFile(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
  return { ...written, summaryPath };
}
