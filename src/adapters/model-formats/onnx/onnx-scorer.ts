import ort from 'onnxruntime-node';
import type { Task } from '../../../domain/features.js';
import { ModelFormatError } from '../../../domain/model-format/linear-model.js';
import {
  ModelFormatId,
  type ModelDescription,
  type ModelFeature,
  type TensorInfo,
} from '../../../domain/model-format/model-description.js';
import { bindOnnxModel, type OnnxBinding } from '../../../domain/model-format/onnx-contract.js';
import { encodeRows, readScores, rowCountOf, type ScoringRows } from '../../../domain/model-format/onnx-feeds.js';
import type { FeatureRow } from '../../../domain/model-format/predict.js';
import type { Scorer } from '../../../domain/model-format/scorer.js';
import { exposeFloatOutput, readOnnxHeader, type OnnxHeader } from './onnx-proto.js';

/** Rows per session run when scoring a table: big enough to amortise the call, small enough to keep the event loop (and heartbeats) moving. */
const TABLE_CHUNK_ROWS = 16_384;
/** At most this many concurrent single-row requests are scored in one run. */
const MAX_MICRO_BATCH = 256;

/**
 * One thread per session: the gateway scores one small batch at a time, and a worker may
 * hold several sessions on a shared machine; threads fighting over 2 cores slow every one.
 */
const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
};

function tensorInfo(m: ort.InferenceSession.ValueMetadata): TensorInfo {
  return m.isTensor
    ? { name: m.name, type: m.type, shape: [...m.shape] }
    : { name: m.name, type: 'sequence/map', shape: [] };
}

/** First line of an ONNX Runtime error, without its source-file prefix. */
const firstLine = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err))
    .split('\n')[0]!
    .replace(/^\[[^\]]*\]\s*/, '')
    .slice(0, 300);

async function createSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
  } catch (err) {
    throw new ModelFormatError(`artifact is not a loadable ONNX model: ${firstLine(err)}`);
  }
}

/**
 * An ONNX model run by ONNX Runtime (CPU), bound to the spec's features by the input
 * contract (src/domain/model-format/README.md). Single rows arriving together (concurrent
 * gateway requests) are scored in one run: one native call per event-loop turn, not one
 * per request.
 */
export class OnnxScorer implements Scorer {
  readonly format = ModelFormatId.onnx;
  readonly labelThreshold = 0.5;
  private queue: Array<{ row: FeatureRow; resolve: (v: number) => void; reject: (e: unknown) => void }> = [];
  private flushScheduled = false;
  private lastBatchSize = 0;
  private running = 0;
  private releaseRequested = false;
  private closed = false;
  private markClosed: () => void = () => undefined;
  private readonly whenClosed = new Promise<void>((resolve) => (this.markClosed = resolve));

  private constructor(
    readonly sha256: string,
    readonly task: Task,
    private readonly session: ort.InferenceSession,
    private readonly binding: OnnxBinding,
    private readonly header: OnnxHeader,
    private readonly signature: { readonly inputs: TensorInfo[]; readonly outputs: TensorInfo[] },
  ) {}

  /**
   * Loads the model and checks it against the spec. Throws ModelFormatError (one line,
   * naming the input or output and the expected and found type/shape) when it cannot serve.
   */
  static async open(
    bytes: Uint8Array,
    sha256: string,
    task: Task,
    features: readonly ModelFeature[] | null,
  ): Promise<OnnxScorer> {
    const header = readOnnxHeader(bytes);
    let session = await createSession(bytes);
    const signature = {
      inputs: session.inputMetadata.map(tensorInfo),
      outputs: session.outputMetadata.map(tensorInfo),
      zipMaps: header.zipMaps,
    };
    let binding: OnnxBinding;
    try {
      binding = bindOnnxModel(signature, features, task);
      if (binding.output.exposeZipMapInput) {
        await session.release();
        session = await createSession(exposeFloatOutput(bytes, binding.output.name));
      }
    } catch (err) {
      await session.release();
      throw err;
    }
    return new OnnxScorer(sha256, task, session, binding, header, signature);
  }

  get features(): readonly ModelFeature[] {
    return this.binding.features;
  }

  describe(): ModelDescription {
    return {
      format: ModelFormatId.onnx,
      task: this.task,
      features: [...this.binding.features],
      onnx: {
        irVersion: this.header.irVersion,
        opset: { ...this.header.opset },
        ...(this.header.producer ? { producer: this.header.producer } : {}),
        inputLayout: this.binding.input.layout,
        inputs: this.signature.inputs,
        outputs: this.signature.outputs,
        scoreOutput: this.binding.output.name,
      },
    };
  }

  exampleRow(): FeatureRow {
    return Object.fromEntries(this.binding.features.map((f) => [f.name, f.kind === 'numeric' ? 0 : '']));
  }

  async score(rows: ScoringRows): Promise<Float64Array> {
    const n = rowCountOf(rows);
    if (n <= TABLE_CHUNK_ROWS) return this.run(rows);
    const out = new Float64Array(n);
    for (let from = 0; from < n; from += TABLE_CHUNK_ROWS) {
      out.set(await this.run(sliceRows(rows, from, Math.min(n, from + TABLE_CHUNK_ROWS))), from);
    }
    return out;
  }

  /**
   * One row, scored together with the rows that arrive with it. A lone caller (the latency
   * check) waits one event-loop turn; once rows arrive together (a busy gateway), the next
   * batch lingers a timer tick to gather more: a run's fixed cost dwarfs a row's, so
   * requests/s follow the batch size.
   */
  scoreRow(row: FeatureRow): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (this.queue.length >= MAX_MICRO_BATCH) this.flush();
      else if (!this.flushScheduled) {
        this.flushScheduled = true;
        if (this.lastBatchSize > 1) setTimeout(() => this.flush(), 0);
        else setImmediate(() => this.flush());
      }
    });
  }

  get released(): boolean {
    return this.releaseRequested;
  }

  /**
   * Releases the session once the rows already handed to it are scored (a request that got
   * this scorer just before its version was retired still gets its answer); later runs fail.
   */
  release(): Promise<void> {
    this.releaseRequested = true;
    this.closeIfIdle();
    return this.whenClosed;
  }

  private closeIfIdle(): void {
    if (this.releaseRequested && !this.closed && this.running === 0 && this.queue.length === 0) {
      this.closed = true;
      void this.session
        .release()
        .catch(() => undefined)
        .then(this.markClosed);
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    this.lastBatchSize = batch.length;
    if (batch.length === 0) return;
    this.run(batch.map((b) => b.row)).then(
      (scores) => batch.forEach((b, i) => b.resolve(scores[i]!)),
      (err: unknown) => batch.forEach((b) => b.reject(err)),
    );
  }

  private async run(rows: ScoringRows): Promise<Float64Array> {
    if (this.closed)
      throw new Error(`the ONNX session of ${this.sha256.slice(0, 12)}… was released (its version was retired)`);
    const n = rowCountOf(rows);
    if (n === 0) return new Float64Array(0);
    const feeds: Record<string, ort.Tensor> = {};
    for (const t of encodeRows(this.binding.input, rows)) feeds[t.name] = new ort.Tensor(t.type, t.data, t.dims);
    this.running++;
    try {
      const out = await this.session.run(feeds, [this.binding.output.name]);
      const tensor = out[this.binding.output.name];
      if (!tensor || !ArrayBuffer.isView(tensor.data))
        throw new Error(`ONNX output '${this.binding.output.name}' is missing from the run's result`);
      return readScores(this.binding.output, tensor.data as Float32Array, tensor.dims, n);
    } finally {
      this.running--;
      this.closeIfIdle();
    }
  }
}

function sliceRows(rows: ScoringRows, from: number, to: number): ScoringRows {
  if (!('rowCount' in rows)) return rows.slice(from, to);
  const columns = Object.fromEntries(
    Object.entries(rows.columns).map(([name, c]) => [
      name,
      c.kind === 'numeric'
        ? { kind: 'numeric' as const, values: c.values.subarray(from, to) }
        : { kind: 'categorical' as const, values: c.values.slice(from, to) },
    ]),
  );
  return { rowCount: to - from, columns };
}
