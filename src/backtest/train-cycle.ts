import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { ModelSpec } from '../domain/model-spec/model-spec.js';
import { concatTables, type DatasetSchema } from '../adapters/data-sources/dataset-table.js';
import { readSnapshotTable } from '../adapters/data-sources/snapshot-store.js';
import { windowSeed } from '../adapters/data-sources/synthetic/index.js';
import { writeSplitSnapshot } from '../adapters/data-sources/write-split-snapshot.js';
import { openScorer, type Scorer } from '../adapters/model-formats/index.js';
import type { Trainer } from '../adapters/trainers/index.js';
import { evaluateModels, type GateResult } from '../activities/evaluation/evaluate-models.js';
import { measureHeldOutEvidence } from '../activities/held-out-evidence.js';
import { parseReferenceProfile, type ReferenceProfile } from '../stats/drift/index.js';
import type { BacktestStream } from './backtest-stream.js';

/** A model the replay can serve: its scorer, the reference its monitor compares with, its expected accuracy. */
export interface ServedModel {
  readonly version: number;
  readonly scorer: Scorer;
  readonly reference: ReferenceProfile;
  /** Held-out accuracy at training: the monitor's performance baseline. */
  readonly baselineAccuracy: number;
  /** Feature importance as registration records it (`lineage.importance.byFeature`); null when it could not be measured. */
  readonly importance: Readonly<Record<string, number>> | null;
  readonly trainedOnWindows: readonly number[];
}

export interface CycleContext {
  readonly spec: ModelSpec;
  readonly stream: BacktestStream;
  readonly trainer: Trainer;
  readonly snapshotRoot: string;
}

export interface CycleOutcome {
  readonly candidate: ServedModel;
  readonly gate: GateResult;
  readonly promoted: boolean;
  /** Wall-clock seconds the trainer took (measured, not simulated). */
  readonly trainSeconds: number;
  /** Labelled rows the cycle consumed (train + held-out). */
  readonly labels: number;
}

/**
 * One training cycle as the flywheel runs it, minus the waiting: snapshot the windows
 * (seeded train / held-out split, reference profile), train with the spec's real trainer,
 * and judge the candidate against the champion with the evaluation gate on the held-out rows.
 */
export async function runCycle(
  ctx: CycleContext,
  windows: readonly number[],
  champion: ServedModel | null,
  version: number,
): Promise<CycleOutcome> {
  const { spec, stream } = ctx;
  const last = windows[windows.length - 1] ?? 0;
  const schema: DatasetSchema = { task: spec.task, features: spec.features, label: spec.label };
  const snapshot = await writeSplitSnapshot(ctx.snapshotRoot, {
    modelId: spec.id,
    schema,
    features: spec.features,
    table: concatTables(windows.map((w) => stream.window(w))),
    heldOutFraction: spec.dataSource.heldOutFraction,
    splitSeed: windowSeed(spec.dataSource.splitSeed, last),
    source: { backtest: stream.name, windows: [...windows] },
  });
  const started = performance.now();
  const output = await ctx.trainer.train(snapshot, spec.trainer, { heartbeat: () => undefined });
  const trainSeconds = (performance.now() - started) / 1000;
  const scorer = await openScorer({ bytes: output.artifact, features: spec.features, task: spec.task });
  const { table: heldOut } = await readSnapshotTable(snapshot.path, 'heldOut');
  const gate = await evaluateModels({
    policy: spec.gate,
    task: spec.task,
    heldOut,
    labelName: spec.label.name,
    challenger: scorer,
    challengerSizeBytes: output.artifact.byteLength,
    champion: champion?.scorer ?? null,
  });
  const candidate: ServedModel = {
    version,
    scorer,
    reference: parseReferenceProfile(await readFile(snapshot.profilePath, 'utf8')),
    baselineAccuracy: gate.metrics.challenger.accuracy ?? Number.NaN,
    importance:
      (await registrationEvidence(output.artifact, scorer.sha256, ctx.snapshotRoot, snapshot.snapshotId)) ?? null,
    trainedOnWindows: [...windows],
  };
  return { candidate, gate, promoted: gate.decision === 'promote', trainSeconds, labels: snapshot.rowCount };
}

/** The importance registration measures and records for a version: the same function, the same held-out rows. */
async function registrationEvidence(
  bytes: Uint8Array,
  sha256: string,
  snapshotRoot: string,
  snapshotId: string,
): Promise<Readonly<Record<string, number>> | undefined> {
  const evidence = await measureHeldOutEvidence({ bytes, sha256, snapshotRoot, snapshotId });
  return evidence?.importance?.byFeature;
}
