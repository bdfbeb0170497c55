import { ModelFormatError } from '../../../domain/model-format/linear-model.js';
import type { ZipMapNode } from '../../../domain/model-format/onnx-contract.js';

/**
 * The little of onnx.proto that ONNX Runtime's JavaScript API does not tell: the IR version,
 * the opsets, the producer and the ZipMap nodes (a classifier's sequence-of-maps ending),
 * plus one edit: exposing a ZipMap's probability tensor as a graph output, because
 * onnxruntime-node cannot fetch a sequence of maps. A protobuf walker over the fields we
 * need; every other byte is copied as it is.
 */

interface Field {
  readonly number: number;
  readonly wire: number;
  /** Varint value (wire 0), or the payload's [start, end) (wire 2). */
  readonly value: bigint;
  readonly start: number;
  readonly end: number;
  /** Where the whole field (tag included) starts. */
  readonly from: number;
}

function readVarint(bytes: Uint8Array, at: number): { value: bigint; next: number } {
  let value = 0n;
  let shift = 0n;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    const b = bytes[i]!;
    value |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return { value, next: i + 1 };
    shift += 7n;
  }
  throw new ModelFormatError('artifact is not an ONNX model: truncated protobuf varint');
}

/** The top-level fields of one protobuf message in bytes[start, end). */
function* fields(bytes: Uint8Array, start = 0, end = bytes.length): Generator<Field> {
  let at = start;
  while (at < end) {
    const from = at;
    const tag = readVarint(bytes, at);
    at = tag.next;
    const number = Number(tag.value >> 3n);
    const wire = Number(tag.value & 7n);
    if (number === 0) throw new ModelFormatError('artifact is not an ONNX model: protobuf field number 0');
    if (wire === 0) {
      const v = readVarint(bytes, at);
      yield { number, wire, value: v.value, start: at, end: v.next, from };
      at = v.next;
    } else if (wire === 2) {
      const len = readVarint(bytes, at);
      const s = len.next;
      const e = s + Number(len.value);
      if (e > end)
        throw new ModelFormatError('artifact is not an ONNX model: a protobuf field runs past the end of the file');
      yield { number, wire, value: len.value, start: s, end: e, from };
      at = e;
    } else if (wire === 1 || wire === 5) {
      const e = at + (wire === 1 ? 8 : 4);
      yield { number, wire, value: 0n, start: at, end: e, from };
      at = e;
    } else {
      throw new ModelFormatError(`artifact is not an ONNX model: unexpected protobuf wire type ${wire}`);
    }
  }
  if (at !== end) throw new ModelFormatError('artifact is not an ONNX model: truncated protobuf message');
}

const text = (bytes: Uint8Array, f: Field): string => new TextDecoder().decode(bytes.subarray(f.start, f.end));

/** What onnx.proto's ModelProto says besides the graph's values. */
export interface OnnxHeader {
  readonly irVersion: number;
  readonly producer?: string;
  readonly opset: Record<string, number>;
  readonly zipMaps: ZipMapNode[];
}

// Field numbers from onnx.proto.
const MODEL = { irVersion: 1, producerName: 2, graph: 7, opsetImport: 8 } as const;
const GRAPH = { node: 1, output: 12 } as const;
const NODE = { input: 1, output: 2, opType: 4, attribute: 5 } as const;
const ATTRIBUTE = { name: 1, ints: 8, strings: 9 } as const;

function readZipMap(bytes: Uint8Array, node: Field): ZipMapNode | null {
  let opType = '';
  let input = '';
  let output = '';
  const labels: Array<number | string> = [];
  for (const f of fields(bytes, node.start, node.end)) {
    if (f.number === NODE.opType) opType = text(bytes, f);
    else if (f.number === NODE.input && input === '') input = text(bytes, f);
    else if (f.number === NODE.output && output === '') output = text(bytes, f);
    else if (f.number === NODE.attribute) {
      let name = '';
      const values: Array<number | string> = [];
      for (const a of fields(bytes, f.start, f.end)) {
        if (a.number === ATTRIBUTE.name) name = text(bytes, a);
        else if (a.number === ATTRIBUTE.strings) values.push(text(bytes, a));
        else if (a.number === ATTRIBUTE.ints && a.wire === 0) values.push(Number(BigInt.asIntN(64, a.value)));
        else if (a.number === ATTRIBUTE.ints && a.wire === 2)
          for (let at = a.start; at < a.end;) {
            const v = readVarint(bytes, at);
            values.push(Number(BigInt.asIntN(64, v.value)));
            at = v.next;
          }
      }
      if (name === 'classlabels_int64s' || name === 'classlabels_strings') labels.push(...values);
    }
  }
  return opType === 'ZipMap' ? { input, output, classLabels: labels } : null;
}

/**
 * Reads the model header (IR version, producer, opsets) and its ZipMap nodes.
 * @throws ModelFormatError when the bytes are not a protobuf ModelProto with a graph
 */
export function readOnnxHeader(bytes: Uint8Array): OnnxHeader {
  const opset: Record<string, number> = {};
  const zipMaps: ZipMapNode[] = [];
  let irVersion: number | undefined;
  let producer: string | undefined;
  let graph = false;
  for (const f of fields(bytes)) {
    if (f.number === MODEL.irVersion && f.wire === 0) irVersion = Number(f.value);
    else if (f.number === MODEL.producerName && f.wire === 2) producer = text(bytes, f);
    else if (f.number === MODEL.opsetImport && f.wire === 2) {
      let domain = '';
      let version = 0;
      for (const o of fields(bytes, f.start, f.end)) {
        if (o.number === 1 && o.wire === 2) domain = text(bytes, o);
        else if (o.number === 2 && o.wire === 0) version = Number(o.value);
      }
      opset[domain] = version;
    } else if (f.number === MODEL.graph && f.wire === 2) {
      graph = true;
      for (const g of fields(bytes, f.start, f.end)) {
        if (g.number !== GRAPH.node || g.wire !== 2) continue;
        const zip = readZipMap(bytes, g);
        if (zip) zipMaps.push(zip);
      }
    }
  }
  if (!graph || irVersion === undefined)
    throw new ModelFormatError('artifact is not an ONNX model: no ir_version or graph in the ModelProto');
  return { irVersion, ...(producer === undefined ? {} : { producer }), opset, zipMaps };
}

function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/** A length-delimited field: tag, length, payload. */
function lengthDelimited(number: number, payload: Uint8Array): Uint8Array {
  const head = [...varint((number << 3) | 2), ...varint(payload.length)];
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/**
 * The same model with float tensor `name` (a ZipMap's input) added as a graph output, so
 * ONNX Runtime can fetch the probabilities as a tensor. The artifact's own bytes (and sha)
 * are untouched: this copy only lives in the inference session.
 */
export function exposeFloatOutput(bytes: Uint8Array, name: string): Uint8Array {
  const FLOAT = 1; // TensorProto.DataType.FLOAT
  const tensorType = lengthDelimited(1, new Uint8Array([0x08, FLOAT])); // TypeProto.tensor_type { elem_type }
  const valueInfo = concat([lengthDelimited(1, new TextEncoder().encode(name)), lengthDelimited(2, tensorType)]);
  const parts: Uint8Array[] = [];
  for (const f of fields(bytes)) {
    if (f.number === MODEL.graph && f.wire === 2) {
      parts.push(
        lengthDelimited(
          MODEL.graph,
          concat([bytes.subarray(f.start, f.end), lengthDelimited(GRAPH.output, valueInfo)]),
        ),
      );
    } else {
      parts.push(bytes.subarray(f.from, f.end));
    }
  }
  return concat(parts);
}
