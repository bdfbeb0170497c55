import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { CliError } from '../cli-errors.js';
import { withExamples } from './command-kit.js';

const positiveInt = (what: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${what} must be a whole number ≥ 1.`);
  return n;
};
const positiveNumber = (what: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${what} must be a number > 0.`);
  return n;
};
const windowList = (value: string) =>
  value.split(',').map((v) => {
    const n = Number(v.trim());
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${v}" is not a window index ≥ 1.`);
    return n;
  });
const names = (value: string) =>
  value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

interface BacktestOpts {
  stream?: string;
  spec?: string;
  csv?: string;
  timeColumn?: string;
  labelColumn?: string;
  features?: string[];
  exclude?: string[];
  windowRows?: number;
  changes?: number[];
  windows?: number;
  rowsPerWindow: number;
  seed: number;
  history?: number;
  windowHours: number;
  cycleMinutes: number;
  baselinesTrainOn: 'source' | 'spec';
  out?: string;
}

/**
 * `flywheel backtest`: replays a stream through the spec's policy and three baselines on a
 * simulated clock (src/backtest). Needs no Temporal server. The backtest code is loaded
 * only when the command runs, so other commands do not pay for the trainers and scorers.
 */
export function registerBacktest(program: Command): void {
  const cmd = program
    .command('backtest')
    .description(
      "replay a labelled stream through the spec's retraining policy (trigger policy + harm rule, real trainer, evaluation gate) on a simulated clock, next to periodic, naive drift-triggered and oracle retraining; prints the table and writes an HTML/PNG report and summary.json (no Temporal server needed)",
    )
    .addOption(
      new Option('--stream <name>', 'built-in stream: sea-f3 (default), sea, hyperplane or covariate-shift').choices([
        'sea-f3',
        'sea',
        'hyperplane',
        'covariate-shift',
      ]),
    )
    .option(
      '--spec <file>',
      "model spec whose policies are tested (trigger incl. trigger.harm, gate, trainer, validation.drift, dataSource.recency); with a synthetic dataSource and no --stream/--csv its own generator is replayed. Default: the project's defaults with recency { sinceChange: true }",
    )
    .option('--csv <file>', 'replay a CSV with a header row instead (needs --time-column and --label-column)')
    .option(
      '--time-column <name>',
      'CSV column with each row’s time (epoch ms or ISO-8601); rows are replayed in its order',
    )
    .option('--label-column <name>', 'CSV column with the 0/1 label')
    .option('--features <a,b,…>', 'CSV feature columns (default: every other column)', names)
    .option('--exclude <a,b,…>', 'CSV columns to leave out of the features (ids, stored predictions, …)', names)
    .option(
      '--window-rows <n>',
      'CSV rows per window (default: the rows cut into --windows windows)',
      positiveInt('--window-rows'),
    )
    .option(
      '--changes <w,w,…>',
      'CSV: windows where the concept is known to change (the oracle retrains there)',
      windowList,
    )
    .option(
      '--windows <n>',
      'windows to replay (built-in streams; default 40) or to cut a CSV into (default 20)',
      positiveInt('--windows'),
    )
    .option('--rows-per-window <n>', 'rows in each window of a built-in stream', positiveInt('--rows-per-window'), 1000)
    .option(
      '--seed <n>',
      'seed of a built-in stream',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('--seed must be a whole number ≥ 0.');
        return n;
      },
      42,
    )
    .option(
      '--history <n>',
      "windows the data source keeps for a snapshot (default 10; a --spec's windowsPerSnapshot; a CSV's all)",
      positiveInt('--history'),
    )
    .option(
      '--window-hours <h>',
      'simulated length of one window, read against the trigger policy’s debounce, cooldown and budget',
      positiveNumber('--window-hours'),
      6,
    )
    .option(
      '--cycle-minutes <m>',
      'simulated time from a cycle’s start to its model serving',
      positiveNumber('--cycle-minutes'),
      10,
    )
    .addOption(
      new Option(
        '--baselines-train-on <rows>',
        "periodic and naive train on the source's rows (source: today's flywheel, no recency window) or with the spec's recency window (spec)",
      )
        .choices(['source', 'spec'])
        .default('source'),
    )
    .option('--out <dir>', 'report directory (default reports/backtest-<stream>)')
    .action(async (opts: BacktestOpts) => {
      if (opts.csv && (!opts.timeColumn || !opts.labelColumn))
        throw new CliError(`--csv needs ${opts.timeColumn ? '--label-column' : '--time-column'} too.`);
      if (!opts.csv && (opts.timeColumn || opts.labelColumn || opts.windowRows || opts.changes))
        throw new CliError('--time-column, --label-column, --window-rows and --changes apply to --csv only.');
      const { backtestCommand } = await import('../../backtest/run-command.js');
      const { BacktestInputError } = await import('../../backtest/backtest-errors.js');
      const streamName = opts.csv
        ? path.basename(opts.csv, path.extname(opts.csv))
        : (opts.stream ?? (opts.spec ? path.basename(opts.spec).replace(/\.[^.]+$/, '') : 'sea-f3'));
      try {
        const { text } = await backtestCommand({
          ...(opts.stream ? { stream: opts.stream } : {}),
          ...(opts.spec ? { specFile: opts.spec } : {}),
          ...(opts.csv
            ? {
                csv: {
                  file: opts.csv,
                  timeColumn: opts.timeColumn!,
                  labelColumn: opts.labelColumn!,
                  ...(opts.features ? { features: opts.features } : {}),
                  ...(opts.exclude ? { exclude: opts.exclude } : {}),
                  ...(opts.windowRows ? { windowRows: opts.windowRows } : {}),
                  ...(opts.windows ? { windows: opts.windows } : {}),
                  ...(opts.changes ? { conceptChanges: opts.changes } : {}),
                },
              }
            : {}),
          windows: opts.windows ?? 40,
          rowsPerWindow: opts.rowsPerWindow,
          seed: opts.seed,
          ...(opts.history ? { history: opts.history } : {}),
          windowMs: opts.windowHours * 3_600_000,
          cycleMs: opts.cycleMinutes * 60_000,
          baselineData: opts.baselinesTrainOn,
          outDir: path.resolve(opts.out ?? path.join('reports', `backtest-${streamName}`)),
          progress: (line) => process.stderr.write(`backtest: ${line}\n`),
        });
        process.stdout.write(`${text}\n`);
      } catch (err) {
        if (err instanceof BacktestInputError) throw new CliError(err.message);
        throw err;
      }
    });
  withExamples(cmd, [
    'flywheel backtest                                   # SEA with concept changes + a benign f3 shift',
    'flywheel backtest --stream hyperplane',
    'flywheel backtest --spec examples/fraud-sea.yaml --stream sea-f3',
    'flywheel backtest --csv data/loans.csv --time-column timestamp --label-column repaid --exclude id --window-rows 5000',
  ]);
}
