import { FeatureKind, Task } from '../features.js';
import { ModelFormatError } from './linear-model.js';
import type { ModelFeature, TensorInfo } from './model-description.js';

/** Element types a numeric feature may be fed as. */
const FLOAT_TYPES = new Set(['float32', 'float64']);
/** Output names a classifier's probabilities are read from (skl2onnx: `probabilities` without ZipMap, `output_probability` with it). */
export const PROBABILITY_OUTPUTS = ['probabilities', 'output_probability'] as const;
/** Output name of a regressor's values (skl2onnx and onnxmltools). */
export const VALUE_OUTPUT = 'variable';

/** A ZipMap node (skl2onnx's default classifier ending): turns the probability tensor into a sequence of maps. */
export interface ZipMapNode {
  /** The [N, classes] probability tensor it reads. */
  readonly input: string;
  /** The sequence-of-maps output it writes. */
  readonly output: string;
  /** Class label of each column (classlabels_int64s or classlabels_strings). */
  readonly classLabels: ReadonlyArray<number | string>;
}

/** What an ONNX model declares, as read from the runtime and the model's graph. */
export interface OnnxSignature {
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  readonly zipMaps: readonly ZipMapNode[];
}

export type InputFeed =
  | {
      readonly layout: 'matrix';
      readonly name: string;
      readonly type: 'float32' | 'float64';
      readonly features: readonly ModelFeature[];
    }
  | {
      readonly layout: 'columns';
      readonly columns: ReadonlyArray<{
        readonly name: string;
        readonly type: 'float32' | 'float64' | 'string';
        readonly feature: ModelFeature;
      }>;
    };

/** How the score of row r is read from the fetched output: `data[r * width + column]`. */
export interface OutputRead {
  readonly name: string;
  /** Column of class 1 (classifiers) or 0 (regressors). */
  readonly column: number;
  /** A ZipMap's probability tensor is not a graph output: the loader must expose it before fetching it. */
  readonly exposeZipMapInput: boolean;
}

/** How ct-flywheel feeds a model and reads its answer; the result of checking it against the spec. */
export interface OnnxBinding {
  readonly features: readonly ModelFeature[];
  readonly input: InputFeed;
  readonly output: OutputRead;
}

const dim = (d: number | string): string => (typeof d === 'number' ? String(d) : 'N');
export const describeTensor = (t: TensorInfo): string =>
  t.type === 'sequence/map' ? 'a sequence of maps' : `${t.type} [${t.shape.map(dim).join(',')}]`;
const names = (fs: readonly { name: string }[]): string => fs.map((f) => f.name).join(', ');

/** Width of a [N, W] tensor, 1 for [N]; null when the shape is not a batch of rows. */
function widthOf(t: TensorInfo): number | string | null {
  if (t.shape.length === 1) return 1;
  if (t.shape.length === 2) return t.shape[1] ?? null;
  return null;
}

/**
 * Checks an ONNX model's inputs and outputs against the spec's features and task, and says
 * how to feed and read it (rules in ./README.md). Throws ModelFormatError with one line
 * naming the input or output, what was expected and what was found.
 * @param features the spec's features in schema order; null when unknown (then every input must be named after a feature)
 */
export function bindOnnxModel(
  signature: OnnxSignature,
  features: readonly ModelFeature[] | null,
  task: Task,
): OnnxBinding {
  const input = bindInputs(signature.inputs, features);
  const bound = input.layout === 'matrix' ? input.features : input.columns.map((c) => c.feature);
  return { features: bound, input, output: bindOutput(signature, task) };
}

function bindInputs(inputs: readonly TensorInfo[], features: readonly ModelFeature[] | null): InputFeed {
  if (inputs.length === 0) throw new ModelFormatError('ONNX model has no inputs');
  if (!features) {
    // Without a schema only the one-input-per-feature layout names its features.
    const matrix = inputs.find((t) => widthOf(t) !== 1);
    if (matrix)
      throw new ModelFormatError(
        `ONNX input '${matrix.name}' is ${describeTensor(matrix)}: without the spec's features only one [N,1] input per feature, named after it, can be bound`,
      );
    return { layout: 'columns', columns: inputs.map((t) => bindColumn(t, null)) };
  }
  const byName = new Map(features.map((f) => [f.name, f]));
  if (inputs.every((t) => byName.has(t.name)))
    return { layout: 'columns', columns: inputs.map((t) => bindColumn(t, byName.get(t.name)!)) };
  if (inputs.length === 1) return bindMatrix(inputs[0]!, features);
  const stray = inputs.find((t) => !byName.has(t.name))!;
  throw new ModelFormatError(
    `ONNX input '${stray.name}' (${describeTensor(stray)}) is not a feature of the spec (${names(features)}): expected one float [N,F] input in schema order or one [N,1] input per feature named after it`,
  );
}

function bindColumn(
  t: TensorInfo,
  feature: ModelFeature | null,
): { name: string; type: 'float32' | 'float64' | 'string'; feature: ModelFeature } {
  const kind = feature?.kind ?? (t.type === 'string' ? FeatureKind.categorical : FeatureKind.numeric);
  const expected = kind === FeatureKind.numeric ? 'float32 [N,1]' : 'string [N,1]';
  const typeOk = kind === FeatureKind.numeric ? FLOAT_TYPES.has(t.type) : t.type === 'string';
  if (!typeOk || widthOf(t) !== 1) {
    throw new ModelFormatError(
      `ONNX input '${t.name}' is ${describeTensor(t)} but feature '${t.name}' is ${kind}: expected ${expected}`,
    );
  }
  return { name: t.name, type: t.type as 'float32' | 'float64' | 'string', feature: { name: t.name, kind } };
}

function bindMatrix(t: TensorInfo, features: readonly ModelFeature[]): InputFeed {
  const expected = `float32 [N,${features.length}] (${names(features)})`;
  const categorical = features.find((f) => f.kind === FeatureKind.categorical);
  if (categorical) {
    throw new ModelFormatError(
      `ONNX input '${t.name}' is one ${describeTensor(t)} tensor but feature '${categorical.name}' is categorical: give every feature its own input named after it (string [N,1] for categoricals)`,
    );
  }
  const width = widthOf(t);
  if (!FLOAT_TYPES.has(t.type) || t.shape.length !== 2 || width !== features.length) {
    throw new ModelFormatError(
      `ONNX input '${t.name}' is ${describeTensor(t)} but the spec has ${features.length} features: expected ${expected}`,
    );
  }
  return { layout: 'matrix', name: t.name, type: t.type as 'float32' | 'float64', features };
}

function bindOutput(signature: OnnxSignature, task: Task): OutputRead {
  const found = signature.outputs.map((o) => `${o.name} (${describeTensor(o)})`).join(', ') || 'none';
  if (task === Task.regression) {
    const out =
      signature.outputs.find((o) => o.name === VALUE_OUTPUT) ??
      (signature.outputs.length === 1 ? signature.outputs[0] : undefined);
    if (!out || !FLOAT_TYPES.has(out.type) || widthOf(out) !== 1) {
      throw new ModelFormatError(
        `ONNX model has no value output for regression: expected '${VALUE_OUTPUT}' as float32 [N,1], found ${found}`,
      );
    }
    return { name: out.name, column: 0, exposeZipMapInput: false };
  }
  const out = signature.outputs.find((o) => (PROBABILITY_OUTPUTS as readonly string[]).includes(o.name));
  if (!out)
    throw new ModelFormatError(
      `ONNX model has no probability output for binaryClassification: expected '${PROBABILITY_OUTPUTS.join("' or '")}', found ${found}`,
    );
  if (out.type === 'sequence/map') {
    const zip = signature.zipMaps.find((z) => z.output === out.name);
    const column = zip ? zip.classLabels.findIndex((c) => String(c) === '1') : -1;
    if (!zip || column < 0)
      throw new ModelFormatError(
        `ONNX output '${out.name}' is a sequence of maps not written by a ZipMap over classes 0 and 1: expected a float [N,2] tensor or a ZipMap with class 1`,
      );
    return { name: zip.input, column, exposeZipMapInput: true };
  }
  const width = widthOf(out);
  if (!FLOAT_TYPES.has(out.type) || (width !== 2 && width !== 1)) {
    throw new ModelFormatError(
      `ONNX output '${out.name}' is ${describeTensor(out)}: expected float32 [N,2] (P(class 0), P(class 1))`,
    );
  }
  return { name: out.name, column: width === 2 ? 1 : 0, exposeZipMapInput: false };
}
