/**
 * Load test of the serving gateway while a canary step changes the weights, then the
 * gateway serving a linear and a 200-tree ONNX model side by side with a bare node:http
 * server, and batch scoring of 100k rows (./gateway-formats.ts).
 *
 *   npm run bench:gateway            (default: 16 s, 16 connections, weight 0.25 → 0.5 at half-time; 8 s per format, in 4 turns)
 *   npm run bench:gateway -- --duration 20 --connections 64 --from 0.1 --to 0.3 --format-duration 10 --format-rounds 5
 *
 * Three processes, loopback only: this one (sets up a real on-disk registry with two model
 * versions and the SQLite serving state, then changes the routing table at half-time), the
 * gateway (`serve` mode of this file, its own process) and autocannon (its CLI, its own
 * process, bounded by duration only: no request cap cuts a fast run short). The split is measured afterwards from
 * the prediction log, by time window before and after the weight change.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LocalModelRegistry } from '../../src/adapters/registry/index.js';
import { SqliteServingState } from '../../src/adapters/serving-state/index.js';
import {
  LINEAR_MODEL_FORMAT,
  serializeLinearModel,
  type LinearModel,
} from '../../src/domain/model-format/linear-model.js';
import type { LineageInput } from '../../src/domain/records/index.js';
import { logger } from '../../src/logging/logger.js';
import { createGateway, DEFAULT_ROUTING_REFRESH_MS } from '../../src/serving/create-gateway.js';
import {
  batchScoring,
  compareFormats,
  loadAverage,
  LINEAR_MODEL,
  processCpuUs,
  registerOnnxModel,
  serveBare,
  type LoadResult,
} from './gateway-formats.js';

const MODEL = 'bench';
/** Requests in flight during the switch may go either way: leave this much out of both windows. */
const SWITCH_MARGIN_MS = DEFAULT_ROUTING_REFRESH_MS + 400;
/** Requests before the weight change: at weight 0.25 the share's standard deviation is then 0.6 points. */
const SPLIT_WINDOW_REQUESTS = 5_000;
/** One standard deviation of a measured share, in points, for n requests routed at random with this weight. */
const sigmaPoints = (weight: number, n: number) => (100 * Math.sqrt((weight * (1 - weight)) / n)).toFixed(2);

function model(slope: number): LinearModel {
  return {
    format: LINEAR_MODEL_FORMAT,
    task: 'binaryClassification',
    label: 'churned',
    features: [
      { name: 'tenure', kind: 'numeric', mean: 24, std: 12, weight: slope },
      { name: 'charges', kind: 'numeric', mean: 70, std: 30, weight: 0.4 },
      { name: 'plan', kind: 'categorical', categories: ['basic', 'pro', 'max'], weights: [0, -0.3, -0.6] },
    ],
    intercept: -0.2,
    metadata: { purpose: 'gateway load test' },
  };
}

const lineage = (modelId: string, cycle: string): LineageInput => ({
  dataset: { snapshotId: 'bench', sha256: '0'.repeat(64) },
  codeVersion: 'bench',
  trainer: { kind: 'builtin', name: 'hand-written' },
  metrics: { heldOut: {} },
  comparedWith: null,
  gate: null,
  trigger: { kind: 'manual' },
  cycle: { workflowId: `flywheel:${modelId}:cycle:${cycle}`, runId: cycle },
});

async function register(registry: LocalModelRegistry, m: LinearModel, cycle: string, modelId = MODEL): Promise<number> {
  const ref = await registry.putArtifact(new TextEncoder().encode(serializeLinearModel(m)));
  const { version } = await registry.registerVersion({
    modelId,
    cycleId: cycle,
    artifactSha256: ref.sha256,
    lineage: lineage(modelId, cycle),
  });
  return version.version;
}

/**
 * `serve` mode: the gateway alone in this process, configured as `flywheel gateway` runs it
 * (the process logger at its default level, process metrics, every option at its default);
 * prints its URL, flushes the log on SIGTERM.
 */
async function serve(root: string): Promise<void> {
  const registry = new LocalModelRegistry({ root: join(root, 'registry') });
  const state = new SqliteServingState({ path: join(root, 'serving.db') });
  const app = createGateway({
    registry,
    routing: state,
    predictionLog: state,
    loadFailures: state,
    // No flywheel runs here, so no model has a spec: requests are checked against the served
    // artifact, after the same per-model spec-cache lookup as under `flywheel up`.
    specs: { getSpec: () => null },
    logger: logger.child({ component: 'gateway' }),
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`LISTENING ${url}\n`);
  process.once('SIGTERM', () => {
    void app.close().then(async () => {
      registry.close();
      await state.close();
      process.exit(0);
    });
  });
}

/** Starts this file in another mode (`serve <root>` or `bare`) and waits for the URL it prints. */
function startServer(nodeFlags: string[], ...mode: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', fileURLToPath(import.meta.url), ...mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /LISTENING (\S+)/.exec(out);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`gateway exited early with code ${code}`)));
  });
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  duration: number;
}

function runAutocannon(
  url: string,
  opts: { duration: number; connections: number; path?: string },
): Promise<AutocannonResult> {
  const cli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
  const body = JSON.stringify({ features: { tenure: 7, charges: 99.5, plan: 'basic' } });
  const args = [
    cli,
    '-j',
    '-n',
    '-c',
    String(opts.connections),
    '-d',
    String(opts.duration),
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
    '-b',
    body,
    `${url}${opts.path ?? `/v1/models/${MODEL}/predict`}`,
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as AutocannonResult) : reject(new Error(`autocannon exited with ${code}`)),
    );
  });
}

function canaryShare(state: SqliteServingState, canaryVersion: number, fromMs: number, toMs: number) {
  const row = state.db
    .prepare(
      `SELECT COUNT(*) AS n, SUM(version = ?) AS canary FROM predictions WHERE model_id = ? AND role != 'shadow' AND ts >= ? AND ts < ?`,
    )
    .get(canaryVersion, MODEL, fromMs, toMs) as { n: number; canary: number | null };
  return { n: row.n, share: row.n === 0 ? Number.NaN : (row.canary ?? 0) / row.n };
}

async function bench(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      duration: { type: 'string', default: '16' },
      connections: { type: 'string', default: '16' },
      from: { type: 'string', default: '0.25' },
      to: { type: 'string', default: '0.5' },
      'format-duration': { type: 'string', default: '8' },
      /** The format comparison's servers take turns this many times, each run lasting format-duration / rounds. */
      'format-rounds': { type: 'string', default: '4' },
      /** Writes the gateway process's V8 CPU profile (node --cpu-prof) into this directory. */
      'cpu-prof': { type: 'string' },
    },
  });
  const duration = Number(values.duration);
  const [from, to] = [Number(values.from), Number(values.to)];
  const root = await mkdtemp(join(tmpdir(), 'gateway-load-'));
  const registry = new LocalModelRegistry({ root: join(root, 'registry') });
  const state = new SqliteServingState({ path: join(root, 'serving.db') });
  const champion = await register(registry, model(-0.9), 'c1');
  const canary = await register(registry, model(-1.4), 'c2');
  await state.setRouting(MODEL, { championVersion: champion, canary: { version: canary, weight: from } });
  await state.setRouting(LINEAR_MODEL, { championVersion: await register(registry, model(-0.9), 'l1', LINEAR_MODEL) });
  await registerOnnxModel(registry, state, lineage);

  const profile = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : [];
  const gateway = await startServer(profile, 'serve', root);
  const bare = await startServer([], 'bare');
  let switchedAtMs = 0;
  try {
    // Warm the artifact cache and the JIT so the first timed requests do not pay for either.
    for (let i = 0; i < 200; i++)
      await fetch(`${gateway.url}/v1/models/${MODEL}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"features":{"tenure":1}}',
      });
    const loadBefore = loadAverage();
    const startedMs = Date.now();
    const load = runAutocannon(gateway.url, {
      duration,
      connections: Number(values.connections),
    });
    // The weight changes once the first window holds enough requests for a 2-point check to
    // mean something (autocannon's own start-up eats into a fixed half under load), and at
    // the latest at 60 % of the run, so the second window gets its share too.
    const switchTimer = setInterval(() => {
      const elapsedMs = Date.now() - startedMs;
      const enough = canaryShare(state, canary, startedMs, Date.now()).n >= SPLIT_WINDOW_REQUESTS;
      if (switchedAtMs !== 0 || !((enough && elapsedMs >= duration * 300) || elapsedMs >= duration * 600)) return;
      switchedAtMs = -1;
      clearInterval(switchTimer);
      void state.setRouting(MODEL, { championVersion: champion, canary: { version: canary, weight: to } }).then((t) => {
        switchedAtMs = Date.parse(t.updatedAt);
        process.stdout.write(
          `[bench] canary weight ${from} → ${to} (routing revision ${t.revision}) at +${((switchedAtMs - startedMs) / 1000).toFixed(1)} s\n`,
        );
      });
    }, 100);
    const result = await load;
    const loadAfter = loadAverage();
    clearInterval(switchTimer);

    const print = (line: string) => process.stdout.write(`[bench] ${line}\n`);
    const connections = Number(values.connections);
    const formatRunSeconds = Math.max(
      1,
      Math.round(Number(values['format-duration']) / Number(values['format-rounds'])),
    );
    const pidOf = (url: string) => (url === gateway.url ? gateway.child.pid! : bare.child.pid!);
    const runLoad = async (url: string, path: string): Promise<LoadResult> => {
      for (let i = 0; i < 50; i++)
        await fetch(`${url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"features":{"tenure":1,"charges":50}}',
        });
      const cpuBefore = processCpuUs(pidOf(url));
      const r = await runAutocannon(url, {
        duration: formatRunSeconds,
        connections,
        path,
      });
      return {
        requestsPerSecond: r['2xx'] / r.duration,
        seconds: r.duration,
        p99Ms: r.latency.p99,
        ok: r['2xx'],
        failed: r.errors + r.timeouts + r.non2xx,
        cpuUsPerRequest: (processCpuUs(pidOf(url)) - cpuBefore) / Math.max(1, r['2xx']),
      };
    };
    const rounds = Number(values['format-rounds']);
    print(
      `model formats, ${connections} connections, ${values['format-duration']} s each in ${rounds} turns of ${formatRunSeconds} s:`,
    );
    const formatsOk = await compareFormats(gateway.url, bare.url, runLoad, print, rounds);
    await batchScoring(new TextEncoder().encode(serializeLinearModel(model(-0.9))), print);
    gateway.child.kill('SIGTERM');
    await new Promise((r) => gateway.child.once('exit', r));

    if (switchedAtMs <= 0)
      throw new Error('the weight change did not happen before the load ended; use a longer --duration');
    const before = canaryShare(state, canary, startedMs, switchedAtMs);
    const after = canaryShare(state, canary, switchedAtMs + SWITCH_MARGIN_MS, Date.now());
    const logged = canaryShare(state, canary, startedMs, Date.now()).n;
    const failed = result.errors + result.timeouts + result.non2xx;
    const lines = [
      `requests: ${result['2xx']} answered 2xx, ${failed} failed (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}); ${logged} in the prediction log (autocannon does not count requests cut at the deadline)`,
      `throughput: ${result.requests.average.toFixed(0)} requests/s average over ${result.duration.toFixed(1)} s (load average ${loadBefore} before, ${loadAfter} after)`,
      `latency: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
      `split before the change: ${(before.share * 100).toFixed(2)} % canary over ${before.n} requests (weight ${from * 100} %, 1σ = ${sigmaPoints(from, before.n)} points)`,
      `split after the change:  ${(after.share * 100).toFixed(2)} % canary over ${after.n} requests (weight ${to * 100} %, 1σ = ${sigmaPoints(to, after.n)} points; ${SWITCH_MARGIN_MS} ms after the switch left out)`,
    ];
    process.stdout.write(`${lines.map((l) => `[bench] ${l}`).join('\n')}\n`);
    const ok =
      failed === 0 &&
      Math.abs(before.share - from) <= 0.02 &&
      Math.abs(after.share - to) <= 0.02 &&
      before.n + after.n >= 10_000;
    process.stdout.write(
      `[bench] ${ok ? 'PASS' : 'FAIL'}: no failed request, split within 2 points of each weight, ≥ 10,000 requests measured\n`,
    );
    process.exitCode = ok && formatsOk ? 0 : 1;
  } finally {
    if (gateway.child.exitCode === null) gateway.child.kill('SIGKILL');
    bare.child.kill('SIGKILL');
    registry.close();
    await state.close();
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'serve' && process.argv[3]) await serve(process.argv[3]);
else if (process.argv[2] === 'bare') await serveBare();
else await bench();
