import { formatChecks, checkAcceptance } from './acceptance.js';
import { BaselineData, runBacktest } from './run-backtest.js';
import { prepareBacktest, type BacktestInput } from './prepare.js';
import { formatTable, summarize } from './summary.js';
import { writeBacktest } from './backtest-report.js';

export interface BacktestCommandInput extends BacktestInput {
  readonly baselineData: BaselineData;
  readonly cycleMs: number;
  readonly outDir: string;
  /** Where progress lines go (stderr); they start only once a run has taken a few seconds. */
  readonly progress: (line: string) => void;
}

/** Quiet below this many ms; a longer run says where it is. */
const PROGRESS_AFTER_MS = 3000;

/**
 * `flywheel backtest` without the option parsing: prepare, replay the four policies, and
 * return the text to print (the table, the acceptance lines and where the report went).
 */
export async function backtestCommand(input: BacktestCommandInput): Promise<{ text: string; allHeld: boolean }> {
  const prepared = await prepareBacktest(input);
  const started = Date.now();
  const run = await runBacktest({
    ...prepared,
    baselineData: input.baselineData,
    cycleMs: input.cycleMs,
    progress: (line) => {
      if (Date.now() - started >= PROGRESS_AFTER_MS) input.progress(line);
    },
  });
  const rows = summarize(run);
  const checks = checkAcceptance(run, rows);
  const written = await writeBacktest(input.outDir, run, rows);
  const text = [
    `${run.stream.name}: ${run.stream.description}; ${run.stream.windowCount} windows`,
    '',
    formatTable(rows),
    '',
    formatChecks(checks),
    '',
    `report: ${written.htmlPath} (${written.pngPath}); summary: ${written.summaryPath}`,
  ].join('\n');
  return { text, allHeld: checks.every((c) => c.held) };
}
export { BaselineData };
