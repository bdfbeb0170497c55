/**
 * The model-format half of `npm run bench:gateway`: the gateway serving a linear model and
 * a 200-tree ONNX model (test/fixtures/onnx/gbdt200-matrix.onnx, LightGBM via onnxmltools),
 * each measured with the same load as a bare `node:http` server that does the same JSON
 * parsing, in the same run; then batch scoring of 100k held-out rows, ONNX vs linear.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describeArtifact, openScorer } from '../../src/adapters/model-formats/index.js';
import type { LocalModelRegistry } from '../../src/adapters/registry/index.js';
import type { SqliteServingState } from '../../src/adapters/serving-state/index.js';
import type { LineageInput } from '../../src/domain/records/index.js';
import { createRng } from '../../src/stats/random.js';
import { categorical, numeric, type Table } from '../../src/stats/table.js';

export const LINEAR_MODEL = 'bench-linear';
export const ONNX_MODEL = 'bench-onnx';
const ONNX_FILE = fileURLToPath(new URL('../../test/fixtures/onnx/gbdt200-matrix.onnx', import.meta.url));
const ONNX_FEATURES = [
  { name: 'tenure', type: 'numeric' },
  { name: 'charges', type: 'numeric' },
] as const;
const BATCH_ROWS = 100_000;

export interface LoadResult {
  /** Answered requests per second: all rounds' 2xx over all rounds' measured seconds. */
  readonly requestsPerSecond: number;
  /** Seconds the load generator measured (its own clock, start-up excluded). */
  readonly seconds: number;
  readonly p99Ms: number;
  readonly ok: number;
  readonly failed: number;
  /** CPU time (user + system) of the server process per answered request: what contention on a shared machine barely moves. */
  readonly cpuUsPerRequest: number;
}

/** User + system CPU time of a process so far, in microseconds (Linux /proc; clock ticks of 10 ms). */
export function processCpuUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}
export type RunLoad = (url: string, path: string) => Promise<LoadResult>;

/** `bare` mode: a node:http server that parses the JSON body and answers JSON, nothing else. */
export async function serveBare(): Promise<void> {
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      let features: unknown;
      try {
        features = (JSON.parse(body) as { features?: unknown }).features;
      } catch {
        res.writeHead(400).end();
        return;
      }
      const answer = JSON.stringify({
        prediction: features ? 1 : 0,
        probability: 0.5,
        version: 1,
        requestId: randomUUID(),
      });
      res
        .writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(answer),
        })
        .end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  process.stdout.write(`LISTENING http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`);
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

/** Registers the 200-tree ONNX model with the description registration records, and routes it. */
export async function registerOnnxModel(
  registry: LocalModelRegistry,
  state: SqliteServingState,
  lineage: (modelId: string, cycle: string) => LineageInput,
): Promise<void> {
  const bytes = new Uint8Array(await readFile(ONNX_FILE));
  const ref = await registry.putArtifact(bytes);
  const model = await describeArtifact({
    bytes,
    sha256: ref.sha256,
    features: ONNX_FEATURES,
    task: 'binaryClassification',
  });
  const { version } = await registry.registerVersion({
    modelId: ONNX_MODEL,
    cycleId: 'onnx-1',
    artifactSha256: ref.sha256,
    lineage: { ...lineage(ONNX_MODEL, 'onnx-1'), model },
  });
  await state.setRouting(ONNX_MODEL, { championVersion: version.version });
}

/** The 1, 5 and 15 min load averages, printed next to every figure (2 cores shared with other work). */
export const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const row = (label: string, r: LoadResult, bare: LoadResult) =>
  `${label.padEnd(22)} ${r.requestsPerSecond.toFixed(0).padStart(7)} req/s  p99 ${String(r.p99Ms).padStart(4)} ms  ${(r.requestsPerSecond / bare.requestsPerSecond).toFixed(2)}× bare  (${r.ok} ok, ${r.failed} failed)  CPU ${r.cpuUsPerRequest.toFixed(0)} µs/request, ${(bare.cpuUsPerRequest / r.cpuUsPerRequest).toFixed(2)}× bare's requests per CPU-second`;

/** Several rounds of one server as one result: totals over totals, the worst round's p99. */
function combine(rounds: readonly LoadResult[]): LoadResult {
  const sum = (f: (r: LoadResult) => number) => rounds.reduce((a, r) => a + f(r), 0);
  const ok = sum((r) => r.ok);
  return {
    requestsPerSecond: ok / sum((r) => r.seconds),
    seconds: sum((r) => r.seconds),
    p99Ms: Math.max(...rounds.map((r) => r.p99Ms)),
    ok,
    failed: sum((r) => r.failed),
    cpuUsPerRequest: sum((r) => r.cpuUsPerRequest * r.ok) / Math.max(1, ok),
  };
}

/**
 * Bare server, linear model and ONNX model with the same load, taken in turns for `rounds`
 * rounds (bare, linear, ONNX, bare, linear, ONNX, ...): on a shared machine the load moves
 * within seconds, and one long run of each would hand whichever ran in the quiet moment
 * the better figure. Each server's figure is its totals over all its rounds.
 * @returns whether the gateway reached 0.5× the bare server's requests/s with the linear
 * model (issue 13's goal) and 0.3× with the ONNX model, with no failed request
 */
export async function compareFormats(
  gatewayUrl: string,
  bareUrl: string,
  runLoad: RunLoad,
  print: (line: string) => void,
  rounds = 1,
): Promise<boolean> {
  print(`load average before: ${loadAverage()}`);
  const runs: Record<'bare' | 'linear' | 'onnx', LoadResult[]> = { bare: [], linear: [], onnx: [] };
  for (let round = 0; round < rounds; round++) {
    runs.bare.push(await runLoad(bareUrl, '/v1/models/bare/predict'));
    runs.linear.push(await runLoad(gatewayUrl, `/v1/models/${LINEAR_MODEL}/predict`));
    runs.onnx.push(await runLoad(gatewayUrl, `/v1/models/${ONNX_MODEL}/predict`));
  }
  const [bare, linear, onnx] = [combine(runs.bare), combine(runs.linear), combine(runs.onnx)];
  print(row('bare node:http', bare, bare));
  print(row('gateway, linear model', linear, bare));
  print(row('gateway, ONNX 200 trees', onnx, bare));
  print(`load average after: ${loadAverage()}`);
  const reaches = (r: LoadResult, share: number) =>
    r.failed === 0 && bare.failed === 0 && r.requestsPerSecond >= share * bare.requestsPerSecond;
  const linearOk = reaches(linear, 0.5);
  const onnxOk = reaches(onnx, 0.3);
  print(`${linearOk ? 'PASS' : 'FAIL'}: linear model at ≥ 0.5× the bare server's requests/s with no failed request`);
  print(`${onnxOk ? 'PASS' : 'FAIL'}: ONNX model at ≥ 0.3× the bare server's requests/s with no failed request`);
  return linearOk && onnxOk;
}

/** 100k rows in the bench models' schema, as the gate reads held-out rows (columnar). */
function heldOutRows(n: number): Table {
  const rng = createRng(17);
  const plans = ['basic', 'pro', 'max'];
  return {
    rowCount: n,
    columns: {
      tenure: numeric(Float64Array.from({ length: n }, () => rng.nextFloat() * 72)),
      charges: numeric(Float64Array.from({ length: n }, () => 20 + rng.nextFloat() * 100)),
      plan: categorical(Array.from({ length: n }, () => plans[rng.nextInt(3)]!)),
    },
  };
}

/** Rows per second of `scorer.score` on 100k rows, best of three after a warm-up. */
async function rowsPerSecond(score: (t: Table) => Promise<Float64Array>, table: Table): Promise<number> {
  await score(table);
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const out = await score(table);
    best = Math.min(best, performance.now() - t);
    if (out.length !== table.rowCount) throw new Error('short batch');
  }
  return table.rowCount / (best / 1000);
}

/** Batch scoring through the Scorer port, as the gate scores held-out rows. */
export async function batchScoring(linearArtifact: Uint8Array, print: (line: string) => void): Promise<void> {
  const table = heldOutRows(BATCH_ROWS);
  const linear = await openScorer({ bytes: linearArtifact });
  const onnx = await openScorer({ artifactPath: ONNX_FILE, features: ONNX_FEATURES, task: 'binaryClassification' });
  const l = await rowsPerSecond((t) => linear.score(t), table);
  const o = await rowsPerSecond((t) => onnx.score(t), table);
  print(
    `batch scoring of ${BATCH_ROWS.toLocaleString('en')} held-out rows: linear ${(l / 1e6).toFixed(2)} M rows/s, ONNX 200 trees ${(o / 1e6).toFixed(2)} M rows/s (${(o / l).toFixed(2)}× linear)`,
  );
}
