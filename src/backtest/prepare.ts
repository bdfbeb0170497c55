import path from 'node:path';
import { loadModelSpec } from '../adapters/spec-loader.js';
import type { RecencyWindow, SyntheticDataSourceConfig } from '../domain/model-spec/data-source-config.js';
import { modelSpecSchema, type ModelSpec, type ModelSpecInput } from '../domain/model-spec/model-spec.js';
import type { BacktestStream } from './backtest-stream.js';
import { BacktestInputError } from './backtest-errors.js';
import { readCsvStream, type CsvStreamOptions } from './csv-stream.js';
import { builtInSpec, streamOfSpec, STREAM_NAMES, type StreamName } from './scenarios.js';

/** What the command line chose: one stream source, its size, and optionally a spec. */
export interface BacktestInput {
  readonly stream?: string;
  readonly csv?: Omit<CsvStreamOptions, 'file'> & { readonly file: string };
  readonly specFile?: string;
  readonly windows: number;
  readonly rowsPerWindow: number;
  readonly seed: number;
  readonly history?: number;
  readonly windowMs: number;
}

export interface PreparedBacktest {
  readonly spec: ModelSpec;
  readonly stream: BacktestStream;
  readonly historyWindows: number;
}

const DEFAULT_HISTORY = 10;

/**
 * Turns the options into a spec and a stream: a built-in stream with its built-in spec
 * (or the `--spec`'s policies over it), a spec's own synthetic source, or a CSV (whose
 * feature list becomes the spec's, the spec's policies kept).
 */
export async function prepareBacktest(input: BacktestInput): Promise<PreparedBacktest> {
  const chosen = [input.stream !== undefined, input.csv !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new BacktestInputError('--stream', 'choose one of --stream and --csv');
  const userSpec = input.specFile ? await loadSpec(input.specFile) : undefined;
  const size = { windows: input.windows, rowsPerWindow: input.rowsPerWindow, seed: input.seed };
  const withWindow = (stream: BacktestStream): BacktestStream => ({ ...stream, windowMs: input.windowMs });

  if (input.csv) {
    const stream = await readCsvStream(input.csv);
    const history = input.history ?? stream.windowCount;
    const spec = specFor(userSpec ?? builtInSpec('sea', size, history), {
      features: stream.features,
      label: { name: stream.labelName },
      dataSource: {
        kind: 'csv',
        path: path.resolve(input.csv.file),
        ...(userSpec?.dataSource.recency || !userSpec
          ? {
              recency: {
                ...recencyFields(userSpec?.dataSource.recency ?? { sinceChange: true }),
                timeColumn: input.csv.timeColumn,
                windowMs: stream.windowMs,
              },
            }
          : {}),
      },
    });
    return { spec, stream, historyWindows: history };
  }
  if (userSpec && input.stream === undefined) {
    if (userSpec.dataSource.kind !== 'synthetic')
      throw new BacktestInputError(
        '--spec',
        `${input.specFile} reads a CSV: replay it with --csv <file> --time-column … --label-column …`,
      );
    const history = input.history ?? userSpec.dataSource.windowsPerSnapshot;
    return { spec: userSpec, stream: withWindow(streamOfSpec(userSpec, size)), historyWindows: history };
  }
  const name = (input.stream ?? 'sea-f3') as StreamName;
  if (!STREAM_NAMES.includes(name))
    throw new BacktestInputError('--stream', `unknown stream "${input.stream}"; one of ${STREAM_NAMES.join(', ')}`);
  const history = input.history ?? DEFAULT_HISTORY;
  const builtIn = builtInSpec(name, size, history);
  const spec = userSpec
    ? specFor(userSpec, {
        features: builtIn.features,
        label: builtIn.label,
        dataSource: {
          ...syntheticSource(builtIn),
          recency: userSpec.dataSource.recency ? recencyFields(userSpec.dataSource.recency) : undefined,
        },
      })
    : builtIn;
  return { spec, stream: withWindow(streamOfSpec(spec, size, name)), historyWindows: history };
}

/** The window-count part of a recency window (a CSV spec's also names its time column). */
const recencyFields = (r: RecencyWindow): RecencyWindow => ({
  sinceChange: r.sinceChange,
  ...(r.lastWindows !== undefined ? { lastWindows: r.lastWindows } : {}),
});

function syntheticSource(spec: ModelSpec): SyntheticDataSourceConfig {
  if (spec.dataSource.kind !== 'synthetic') throw new Error('a built-in stream has a synthetic source');
  return spec.dataSource;
}

async function loadSpec(file: string): Promise<ModelSpec> {
  try {
    return await loadModelSpec(file);
  } catch (err) {
    throw new BacktestInputError('--spec', err instanceof Error ? err.message : String(err));
  }
}

/** The user's policies (trigger, harm, gate, trainer, validation) over another stream's features and source. */
function specFor(base: ModelSpec, over: Pick<ModelSpecInput, 'features' | 'label' | 'dataSource'>): ModelSpec {
  const parsed = modelSpecSchema.safeParse({ ...base, ...over, gate: { ...base.gate, slices: [], fairness: [] } });
  if (!parsed.success)
    throw new BacktestInputError(
      '--spec',
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  return parsed.data;
}
