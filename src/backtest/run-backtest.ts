import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RecencyWindow } from '../domain/model-spec/data-source-config.js';
import type { ModelSpec } from '../domain/model-spec/model-spec.js';
import { createTrainers } from '../adapters/trainers/index.js';
import type { BacktestStream } from './backtest-stream.js';
import { naivePolicy, oraclePolicy, periodicPolicy, specPolicy, type ReplayPolicy } from './policies.js';
import { replayPolicy, type ReplayResult } from './replay.js';
import { runCycle, type CycleContext } from './train-cycle.js';

export const BaselineData = {
  /** Baselines train on the data source's rows without the spec's recency window: today's flywheel. */
  source: 'source',
  /** Baselines use the spec's recency window too (their `since` is their own triggering alert). */
  spec: 'spec',
} as const;
export type BaselineData = (typeof BaselineData)[keyof typeof BaselineData];

export interface BacktestOptions {
  readonly spec: ModelSpec;
  readonly stream: BacktestStream;
  /** How far back the source's rows reach for one snapshot, in windows. */
  readonly historyWindows: number;
  readonly baselineData?: BaselineData;
  /** Simulated duration of one training cycle; default 10 minutes. */
  readonly cycleMs?: number;
  /** Where snapshots and trainer work dirs go; default a temporary directory removed at the end. */
  readonly workDir?: string;
  readonly progress?: (line: string) => void;
}

export interface BacktestRun {
  readonly spec: ModelSpec;
  readonly stream: BacktestStream;
  readonly historyWindows: number;
  readonly baselineData: BaselineData;
  /** The spec's, periodic, naive drift-triggered, oracle: in that order. */
  readonly results: readonly ReplayResult[];
  readonly firstModelTrainSeconds: number;
}

/**
 * Replays a stream through four retraining policies with the same first model, trainer,
 * gate, trigger policy and monitor: the spec's policy first (its retrain count sets the
 * periodic baseline's K), then periodic, naive drift-triggered and the oracle.
 */
export async function runBacktest(options: BacktestOptions): Promise<BacktestRun> {
  const { spec, stream } = options;
  const workDir = options.workDir ?? (await mkdtemp(path.join(tmpdir(), 'ct-backtest-')));
  try {
    const trainers = createTrainers({ workRoot: path.join(workDir, 'training') });
    const context: CycleContext = {
      spec,
      stream,
      trainer: trainers[spec.trainer.kind],
      snapshotRoot: path.join(workDir, 'snapshots'),
    };
    const firstCycle = await runCycle(context, [0], null, 1);
    const first = firstCycle.candidate;
    const history = `last ${options.historyWindows} windows (the source's)`;
    const baselineData = options.baselineData ?? BaselineData.source;
    const baselineRecency: RecencyWindow | undefined =
      baselineData === BaselineData.spec ? spec.dataSource.recency : undefined;
    const replay = (policy: ReplayPolicy) =>
      replayPolicy(policy, {
        context,
        first,
        historyWindows: options.historyWindows,
        cycleMs: options.cycleMs ?? 600_000,
        ...(options.progress
          ? {
              onWindow: (w: number) => {
                if (w % 10 === 0) options.progress!(`${policy.label}: window ${w}/${stream.windowCount - 1}`);
              },
            }
          : {}),
      });
    const specResult = await replay(specPolicy(spec, history));
    const results = [specResult];
    for (const policy of [
      periodicPolicy(stream.windowCount, specResult.cycles.length, baselineRecency, history),
      naivePolicy(baselineRecency, history),
      oraclePolicy(stream.conceptChanges, history),
    ]) {
      options.progress?.(`${policy.label}: replaying ${stream.windowCount - 1} windows`);
      results.push(await replay(policy));
    }
    return {
      spec,
      stream,
      historyWindows: options.historyWindows,
      baselineData,
      results,
      firstModelTrainSeconds: firstCycle.trainSeconds,
    };
  } finally {
    if (!options.workDir) await rm(workDir, { recursive: true, force: true });
  }
}
