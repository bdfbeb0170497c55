import { expect } from 'vitest';
import type { ServingState } from '../../../src/adapters/serving-state/index.js';
import { ROLLUP_BUCKET_MS } from '../../../src/adapters/serving-state/live-metrics-plan.js';
import type { LiveMetrics, LiveMetricsQuery } from '../../../src/domain/records/index.js';
import type { PredictionLogEntry } from '../../../src/domain/records/prediction-log-entry.js';

type Task = 'binaryClassification' | 'regression';

/**
 * What a store should hold after a sequence of writes, kept in memory: the first row of a
 * (request, role) and the first label of a request win, as the port promises. Live metrics
 * are then computed by brute force over every row, to hold the stores' rollups to.
 */
export class RawLog {
  private readonly rows = new Map<string, PredictionLogEntry & { role: string }>();
  private readonly labels = new Map<string, number>();

  logged(entries: readonly PredictionLogEntry[]): void {
    for (const e of entries) {
      const role = e.arm ?? 'champion';
      const key = `${e.requestId}\u0000${role}`;
      if (!this.rows.has(key)) this.rows.set(key, { ...e, role });
    }
  }

  labelled(requestId: string, label: number): void {
    if (!this.labels.has(requestId)) this.labels.set(requestId, label);
  }

  /** The port's live metrics of a window, from every raw row. */
  liveMetrics(q: LiveMetricsQuery & { task: Task }): LiveMetrics {
    const all = [...this.rows.values()];
    const inWindow = all.filter(
      (r) =>
        r.modelId === q.modelId &&
        r.atMs >= q.fromMs &&
        r.atMs < q.toMs &&
        (q.version === undefined || r.version === q.version),
    );
    const ok = inWindow.filter((r) => r.error === undefined || r.error === null);
    const labelled = ok.filter((r) => this.labels.has(r.requestId));
    const latencies = ok.map((r) => r.latencyMs).sort((a, b) => a - b);
    const absErr = labelled.reduce((s, r) => s + Math.abs(r.prediction! - this.labels.get(r.requestId)!), 0);
    const correct = labelled.filter((r) => r.prediction === this.labels.get(r.requestId)).length;
    const served = (requestId: string) =>
      all.filter(
        (s) => s.requestId === requestId && s.role !== 'shadow' && (s.error === undefined || s.error === null),
      );
    const pairs = ok
      .filter((r) => r.role === 'shadow')
      .flatMap((r) => served(r.requestId).map((s) => r.prediction === s.prediction));
    return {
      count: inWindow.length,
      errorRate: inWindow.length === 0 ? 0 : (inWindow.length - ok.length) / inWindow.length,
      p95LatencyMs: latencies.length === 0 ? null : latencies[Math.ceil(0.95 * latencies.length) - 1]!,
      labeledCount: labelled.length,
      ...(labelled.length > 0 && q.task === 'binaryClassification' ? { accuracy: correct / labelled.length } : {}),
      ...(labelled.length > 0 && q.task === 'regression' ? { mae: absErr / labelled.length } : {}),
      ...(pairs.length > 0 && q.task === 'binaryClassification'
        ? { shadowCount: pairs.length, agreement: pairs.filter(Boolean).length / pairs.length }
        : {}),
      ...(q.servedBy && inWindow.some((r) => r.replica) ? { servedBy: countBy(inWindow, (r) => r.replica) } : {}),
    };
  }
}

function countBy<T>(items: readonly T[], key: (t: T) => string | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of items) {
    const k = key(t);
    if (k) counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

/** A small deterministic generator (mulberry32), so a failing window can be reproduced. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Random windows (bucket-aligned, inside one bucket, a few buckets, empty, spanning everything) over
 * `[fromMs, toMs)`, for every version and both tasks: the store must answer exactly what
 * brute force over the raw rows does. Returns how many windows were compared.
 */
export async function expectLiveMetricsMatchRawRows(
  state: ServingState,
  log: RawLog,
  opts: { modelId: string; versions: readonly number[]; fromMs: number; toMs: number; windows: number; seed: number },
): Promise<number> {
  const rnd = seededRandom(opts.seed);
  const at = () => opts.fromMs + Math.floor(rnd() * (opts.toMs - opts.fromMs));
  const windows: Array<[number, number]> = [[opts.fromMs, opts.toMs]];
  for (let i = 0; i < opts.windows; i++) {
    const a = at();
    const shape = i % 4;
    const b = ROLLUP_BUCKET_MS;
    if (shape === 0) windows.push([a - (a % b), a - (a % b) + b * (1 + Math.floor(rnd() * 50))]);
    else if (shape === 1) windows.push([a, a + Math.floor(rnd() * b * (rnd() < 0.5 ? 0.9 : 9))]);
    else windows.push([Math.min(a, at()), Math.max(a, at())]);
  }
  let compared = 0;
  for (const [fromMs, toMs] of windows) {
    for (const version of [undefined, ...opts.versions]) {
      for (const task of ['binaryClassification', 'regression'] as const) {
        // The rollout asks for the per-replica counts too; half the queries do here.
        const q = {
          modelId: opts.modelId,
          fromMs,
          toMs,
          task,
          ...(version === undefined ? {} : { version }),
          ...(task === 'regression' ? { servedBy: true } : {}),
        };
        expect(await state.readLiveMetrics(q), JSON.stringify(q)).toEqual(log.liveMetrics(q));
        compared++;
      }
    }
  }
  return compared;
}

/**
 * Logs requests `[from, to)` of model `sea` (two versions, some failures, 7 s apart so they
 * span many rollup buckets) and labels two thirds of them, mirrored into `log`; also
 * labels `relabel` earlier requests, whose rows may predate a migration.
 */
export async function logSample(
  state: ServingState,
  log: RawLog,
  opts: { t0: number; from: number; to: number; relabel?: readonly number[] },
): Promise<void> {
  const rows: PredictionLogEntry[] = Array.from({ length: opts.to - opts.from }, (_, k) => {
    const i = opts.from + k;
    return {
      requestId: `s${i}`,
      modelId: 'sea',
      version: 1 + (i % 2),
      features: { x1: i },
      prediction: i % 9 === 0 ? null : i % 4 === 0 ? 1 : 0,
      probability: null,
      latencyMs: (i * 37) % 101,
      atMs: opts.t0 + i * 700,
      ...(i % 9 === 0 ? { error: 'boom' } : {}),
      ...(i % 5 === 0 ? {} : { replica: `gw-${i % 3}` }),
    };
  });
  await state.logPredictions(rows);
  log.logged(rows);
  const labels = [...rows.map((_, k) => opts.from + k).filter((i) => i % 3 !== 0), ...(opts.relabel ?? [])].map(
    (i) => ({ requestId: `s${i}`, label: i % 2 }),
  );
  await state.recordLabels(labels);
  for (const l of labels) log.labelled(l.requestId, l.label);
}
