import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { parseLinearModel, serializeLinearModel, ModelFormatError } from '../../domain/model-format/linear-model.js';
import { ModelFormatId } from '../../domain/model-format/model-description.js';
import { disposeScorer, openScorer } from '../model-formats/index.js';
import type { CommandTrainerConfig, TrainerConfig } from '../../domain/model-spec/trainer-config.js';
import type { SnapshotRef } from '../../domain/records/snapshot-ref.js';
import { readSnapshotManifest, type SnapshotManifest } from '../data-sources/snapshot-store.js';
import { AttemptWorkDirs, type AttemptWorkDir } from './command/attempt-work-dirs.js';
import { recordProgram } from './command/leftover-programs.js';
import { runProcess } from './command/run-process.js';
import { TrainerCommandError, TrainerInputError, TrainerOutputError, TrainingCancelledError } from './errors.js';
import type { TrainCheckpoint, TrainContext, TrainOutput, Trainer } from './port.js';

/** Version of the contract in docs/trainer-contract.md; sent in the input file. v2: model.onnx, and warm starts from any format. */
export const TRAINER_COMMAND_CONTRACT = 'ct-flywheel/trainer-command@2';
export const COMMAND_OUTPUT_FILES = { model: 'model.json', onnxModel: 'model.onnx', metrics: 'metrics.json' } as const;
/** The champion's file a `fineTune` run gets, by format. */
const WARM_START_FILES = {
  [ModelFormatId.linear]: 'warm-start-model.json',
  [ModelFormatId.onnx]: 'warm-start-model.onnx',
} as const;

const progressLineSchema = z
  .object({
    epoch: z.number(),
    totalEpochs: z.number().optional(),
    loss: z.number().optional(),
    checkpoint: z.unknown().optional(),
  })
  .passthrough();
const metricsSchema = z.record(z.number());

export interface CommandTrainerOptions {
  /** Directory for per-attempt work dirs (input.json, output/), grouped per activity. */
  readonly workRoot: string;
  /**
   * Keep the work dir after success (and report it as `outputDir`). Otherwise it is removed
   * on success, and on failure unless a retry of the activity may still need its checkpoint.
   */
  readonly keepOutput?: boolean;
  /** Work dirs untouched this long belong to attempts nobody will retry and are removed (default a day). */
  readonly staleWorkDirMs?: number;
  /** Extra environment for every command (the spec's `trainer.env` is added on top). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Trains by running any program that follows docs/trainer-contract.md: it gets the path of
 * an input JSON file (snapshot files, params, output dir, checkpoint, warm-start model),
 * reports progress as JSON lines on stdout, and leaves model.onnx or model.json (+
 * metrics.json) in the output dir.
 */
export class CommandTrainer implements Trainer {
  readonly kind = 'command' as const;
  private readonly workDirs: AttemptWorkDirs;
  constructor(private readonly options: CommandTrainerOptions) {
    this.workDirs = new AttemptWorkDirs(path.resolve(options.workRoot), options.staleWorkDirMs);
  }

  async train(snapshot: SnapshotRef, config: TrainerConfig, context: TrainContext): Promise<TrainOutput> {
    if (config.kind !== 'command')
      throw new TrainerInputError(`CommandTrainer cannot run a "${config.kind}" trainer config`);
    const manifest = await readSnapshotManifest(snapshot.path);
    const work = await this.workDirs.open(context.attempt, manifest.snapshotId, context.checkpoint);
    try {
      const output = await this.run(work, manifest, snapshot, config, context);
      await work.succeeded(this.options.keepOutput === true);
      return output;
    } catch (err) {
      // A program that failed or was stopped may be retried from its last checkpoint, which
      // may live in this dir; a wrong output or input will fail the same way every time.
      await work.failed(err instanceof TrainerCommandError || err instanceof TrainingCancelledError);
      throw err;
    }
  }

  private async run(
    work: AttemptWorkDir,
    manifest: SnapshotManifest,
    snapshot: SnapshotRef,
    config: CommandTrainerConfig,
    context: TrainContext,
  ): Promise<TrainOutput> {
    const workDir = work.dir;
    const outputDir = path.join(workDir, 'output');
    await mkdir(outputDir, { recursive: true });

    let warmStartModel: string | null = null;
    if (config.strategy === 'fineTune' && context.warmStart) {
      // The champion's artifact as stored (the registry keeps the linear format canonical already).
      warmStartModel = path.join(workDir, WARM_START_FILES[context.warmStart.format]);
      await writeFile(warmStartModel, context.warmStart.bytes);
    }
    const input = {
      contract: TRAINER_COMMAND_CONTRACT,
      task: manifest.task,
      features: manifest.features,
      label: manifest.label.name,
      snapshot: {
        snapshotId: manifest.snapshotId,
        sha256: manifest.sha256,
        dir: snapshot.path,
        manifest: path.join(snapshot.path, 'manifest.json'),
        train: path.join(snapshot.path, manifest.files.train),
        heldOut: path.join(snapshot.path, manifest.files.heldOut),
      },
      params: config.hyperparameters,
      strategy: config.strategy,
      outputDir,
      checkpoint: context.checkpoint ?? null,
      warmStartModel,
      warmStartModelFormat: warmStartModel === null ? null : (context.warmStart?.format ?? null),
    };
    const inputPath = path.join(workDir, 'input.json');
    await writeFile(inputPath, `${JSON.stringify(input, null, 2)}\n`);

    let last: { epoch: number; totalEpochs?: number } | undefined;
    await runProcess({
      argv: [...config.command, inputPath],
      cwd: config.cwd,
      env: { ...process.env, ...this.options.env, ...config.env, CT_FLYWHEEL_TRAINER_INPUT: inputPath },
      timeoutMs: config.timeoutSeconds * 1000,
      signal: context.signal,
      // Best effort: without the record, a retry cannot stop this program if the worker dies.
      onSpawn: (pid) => void recordProgram(workDir, pid).catch(() => undefined),
      onStdoutLine: (line) => {
        const progress = parseProgress(line);
        if (!progress) return;
        work.touch();
        last = progress;
        const checkpoint: TrainCheckpoint | undefined =
          // `"checkpoint": null` means "nothing to resume from", like leaving it out.
          progress.checkpoint != null ? { epoch: progress.epoch, state: progress.checkpoint } : undefined;
        context.heartbeat({
          epoch: progress.epoch,
          totalEpochs: progress.totalEpochs ?? 0,
          loss: progress.loss ?? Number.NaN,
          checkpoint,
        });
      },
    });

    const artifact =
      (await readOnnxModel(outputDir, manifest)) ??
      new TextEncoder().encode(
        await readModel(path.join(outputDir, COMMAND_OUTPUT_FILES.model), manifest.task, manifest.label.name),
      );
    const metrics = await readMetrics(path.join(outputDir, COMMAND_OUTPUT_FILES.metrics));
    return {
      artifact,
      metrics,
      epochs: last?.totalEpochs ?? last?.epoch ?? 0,
      resumedFromCheckpoint: resumedFrom(metrics, context.checkpoint !== undefined),
      warmStarted: warmStartModel !== null,
      ...(this.options.keepOutput ? { outputDir } : {}),
    };
  }
}

/**
 * Whether the program really resumed: its own `resumedFromEpoch` in metrics.json when it
 * reports one (a program may refuse a stale checkpoint and start over); otherwise any run
 * handed a checkpoint counts as resumed.
 */
function resumedFrom(metrics: Record<string, number>, handedCheckpoint: boolean): boolean {
  const epoch = metrics.resumedFromEpoch;
  return epoch !== undefined ? epoch > 0 : handedCheckpoint;
}

function parseProgress(line: string) {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined; // free-form output is allowed and ignored
  try {
    const parsed = progressLineSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads model.onnx when the program wrote one (it wins over a model.json beside it), checked
 * against the snapshot's features and task by the ONNX input contract exactly as the gate
 * and the gateway will bind it; null when there is none. Its bytes are the artifact as written.
 */
async function readOnnxModel(outputDir: string, manifest: SnapshotManifest): Promise<Uint8Array | null> {
  const file = path.join(outputDir, COMMAND_OUTPUT_FILES.onnxModel);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch {
    return null;
  }
  try {
    const scorer = await openScorer({ bytes, features: manifest.features, task: manifest.task });
    await disposeScorer(scorer.sha256); // checked, not served: the gate opens it where it runs
  } catch (err) {
    if (err instanceof ModelFormatError) throw new TrainerOutputError(`${file}: ${err.message}`);
    throw err;
  }
  return bytes;
}

/** Reads and validates model.json; returns canonical bytes so equal models hash equally. */
async function readModel(file: string, task: string, label: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new TrainerOutputError(
      `Trainer command exited 0 but wrote no ${COMMAND_OUTPUT_FILES.onnxModel} or ${COMMAND_OUTPUT_FILES.model} (expected one in ${path.dirname(file)})`,
    );
  });
  try {
    const model = parseLinearModel(text);
    if (model.task !== task)
      throw new TrainerOutputError(`${file}: model task is ${model.task} but the snapshot's task is ${task}`);
    if (model.label !== label)
      throw new TrainerOutputError(`${file}: model label is "${model.label}" but the snapshot's label is "${label}"`);
    return serializeLinearModel(model);
  } catch (err) {
    if (err instanceof ModelFormatError) throw new TrainerOutputError(`${file}: ${err.message}`);
    throw err;
  }
}

async function readMetrics(file: string): Promise<Record<string, number>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return {}; // metrics.json is optional
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new TrainerOutputError(`${file} is not JSON: ${(err as Error).message}`);
  }
  const parsed = metricsSchema.safeParse(value);
  if (!parsed.success)
    throw new TrainerOutputError(
      `${file} must be a JSON object of numbers, e.g. {"trainAccuracy": 0.91}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
