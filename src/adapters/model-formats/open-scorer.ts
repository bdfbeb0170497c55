import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Task } from '../../domain/features.js';
import { ModelFormatError, parseLinearModel } from '../../domain/model-format/linear-model.js';
import {
  detectModelFormat,
  ModelFormatId,
  type ModelDescription,
  type ModelFeature,
} from '../../domain/model-format/model-description.js';
import type { Scorer } from '../../domain/model-format/scorer.js';
import { LinearScorer } from './linear/linear-scorer.js';
import { OnnxScorer } from './onnx/onnx-scorer.js';

/** A spec's features (`type`) or a model's (`kind`): either names the kind of each column. */
export type FeatureList = ReadonlyArray<
  { readonly name: string } & ({ readonly kind: ModelFeature['kind'] } | { readonly type: ModelFeature['kind'] })
>;

export interface OpenScorerOptions {
  /** The artifact's bytes (verified by the registry), or … */
  readonly bytes?: Uint8Array;
  /** … a file holding them (a trainer's output, an example). */
  readonly artifactPath?: string;
  /** The artifact's sha256; computed from the bytes when absent. */
  readonly sha256?: string;
  /** The spec's features in schema order. ONNX binds its inputs to them; the linear format carries its own. */
  readonly features?: FeatureList | null;
  /** The task the model must serve. Required for ONNX (the file does not say); the linear format carries its own. */
  readonly task?: Task;
}

const modelFeatures = (features: FeatureList): ModelFeature[] =>
  features.map((f) => ({ name: f.name, kind: 'kind' in f ? f.kind : f.type }));

/** Open scorers by artifact sha (+ binding): one ONNX Runtime session per artifact, created once. */
const scorers = new Map<string, { sha256: string; scorer: Promise<Scorer> }>();

/**
 * The scorer of an artifact, whatever its format (detected from the bytes): the one way
 * to score rows with a model. Opened once per artifact sha256 and binding and reused until
 * `disposeScorer`. Throws ModelFormatError (one line) when the artifact is not a model of
 * a known format or does not fit the spec's features and task.
 */
export async function openScorer(options: OpenScorerOptions): Promise<Scorer> {
  const bytes =
    options.bytes ?? (options.artifactPath ? new Uint8Array(await readFile(options.artifactPath)) : undefined);
  if (!bytes) throw new ModelFormatError('openScorer needs the artifact bytes or its path');
  const sha256 = options.sha256 ?? createHash('sha256').update(bytes).digest('hex');
  const format = detectModelFormat(bytes);
  const features = options.features ? modelFeatures(options.features) : null;
  const key =
    format === ModelFormatId.linear
      ? sha256
      : `${sha256}|${options.task ?? ''}|${features?.map((f) => `${f.name}:${f.kind}`).join(',') ?? ''}`;
  const cached = scorers.get(key);
  if (cached) return cached.scorer;
  const scorer = open(format, bytes, sha256, features, options.task);
  scorers.set(key, { sha256, scorer });
  // A refused artifact is not cached: the caller decides when to try again.
  scorer.catch(() => scorers.delete(key));
  return scorer;
}

async function open(
  format: ModelFormatId,
  bytes: Uint8Array,
  sha256: string,
  features: ModelFeature[] | null,
  task: Task | undefined,
): Promise<Scorer> {
  if (format === ModelFormatId.linear)
    return new LinearScorer(sha256, parseLinearModel(new TextDecoder().decode(bytes)));
  if (!task)
    throw new ModelFormatError(
      "an ONNX artifact needs the spec's task (binaryClassification or regression) to be scored",
    );
  return OnnxScorer.open(bytes, sha256, task, features);
}

/**
 * Releases the scorers of an artifact (its ONNX Runtime sessions, once their runs in flight
 * end). Called when its version is retired: archived, rolled back, rejected, or no longer
 * routed by a gateway. A later `openScorer` opens it afresh.
 */
export async function disposeScorer(sha256: string): Promise<void> {
  const entries = [...scorers.entries()].filter(([, e]) => e.sha256 === sha256);
  for (const [key] of entries) scorers.delete(key);
  await Promise.all(
    entries.map(async ([, e]) => {
      const scorer = await e.scorer.catch(() => null);
      if (scorer instanceof OnnxScorer) await scorer.release();
    }),
  );
}

/** The sha256 of every artifact with an open scorer (for tests and the gateway's metrics). */
export const openScorerShas = (): string[] => [...new Set([...scorers.values()].map((e) => e.sha256))];

/** What registration records about an artifact: checks it like `openScorer` and describes it. */
export async function describeArtifact(options: OpenScorerOptions): Promise<ModelDescription> {
  return (await openScorer(options)).describe();
}
