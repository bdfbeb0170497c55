import { FeatureKind } from '../features.js';
import type { InputFeed, OutputRead } from './onnx-contract.js';
import { toNumber, type ColumnarRows, type FeatureRow } from './predict.js';

/** Rows to score: a columnar table (the gate's held-out rows) or request-shaped objects (the gateway). */
export type ScoringRows = ColumnarRows | readonly FeatureRow[];

/** One input tensor's contents, runtime-neutral: the ONNX adapter wraps it in an ort.Tensor. */
export interface FeedTensor {
  readonly name: string;
  readonly type: 'float32' | 'float64' | 'string';
  readonly data: Float32Array | Float64Array | string[];
  readonly dims: readonly [number, number];
}

export const rowCountOf = (rows: ScoringRows): number => ('rowCount' in rows ? rows.rowCount : rows.length);

/** Column `name` of the rows as numbers, missing (absent, null, non-numeric) as NaN. */
function numbersOf(
  rows: ScoringRows,
  name: string,
  into: Float32Array | Float64Array,
  stride: number,
  offset: number,
): void {
  if ('rowCount' in rows) {
    const column = rows.columns[name];
    for (let r = 0; r < rows.rowCount; r++)
      into[r * stride + offset] = column?.kind === 'numeric' ? (column.values[r] ?? Number.NaN) : Number.NaN;
    return;
  }
  for (let r = 0; r < rows.length; r++) into[r * stride + offset] = toNumber(rows[r]![name]);
}

/** Column `name` as strings, missing as "" (an unseen category to a one-hot encoder that ignores unknowns). */
function stringsOf(rows: ScoringRows, name: string): string[] {
  if ('rowCount' in rows) {
    const column = rows.columns[name];
    return Array.from({ length: rows.rowCount }, (_, r) => {
      const v = column?.values[r];
      return v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v);
    });
  }
  return rows.map((row) => {
    const v = row[name];
    return v === null || v === undefined ? '' : String(v);
  });
}

const floats = (type: 'float32' | 'float64', n: number): Float32Array | Float64Array =>
  type === 'float32' ? new Float32Array(n) : new Float64Array(n);

/** The input tensors of a batch of rows, laid out as the binding says (./README.md, "Input contract"). */
export function encodeRows(input: InputFeed, rows: ScoringRows): FeedTensor[] {
  const n = rowCountOf(rows);
  if (input.layout === 'matrix') {
    const width = input.features.length;
    const data = floats(input.type, n * width);
    input.features.forEach((f, j) => numbersOf(rows, f.name, data, width, j));
    return [{ name: input.name, type: input.type, data, dims: [n, width] }];
  }
  return input.columns.map((c) => {
    if (c.feature.kind === FeatureKind.categorical || c.type === 'string')
      return { name: c.name, type: 'string' as const, data: stringsOf(rows, c.name), dims: [n, 1] as const };
    const data = floats(c.type, n);
    numbersOf(rows, c.name, data, 1, 0);
    return { name: c.name, type: c.type, data, dims: [n, 1] as const };
  });
}

/** Row r's score from the fetched output tensor: `data[r * width + column]`. */
export function readScores(
  output: OutputRead,
  data: ArrayLike<number>,
  dims: readonly number[],
  n: number,
): Float64Array {
  const width = dims.length === 2 ? (dims[1] ?? 1) : 1;
  if (data.length < n * width || output.column >= width) {
    throw new Error(
      `ONNX output '${output.name}' has shape [${dims.join(',')}]: expected ${n} rows with column ${output.column}`,
    );
  }
  const scores = new Float64Array(n);
  for (let r = 0; r < n; r++) scores[r] = Number(data[r * width + output.column]);
  return scores;
}
