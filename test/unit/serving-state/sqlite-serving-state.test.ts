import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PredictionLogBuffer,
  RoutingConflictError,
  ServingInputError,
  SqliteServingState,
} from '../../../src/adapters/serving-state/index.js';
import type { PredictionLogEntry } from '../../../src/domain/records/prediction-log-entry.js';
import { waitFor } from '../../support/wait-for.js';

let dir: string;
let state: SqliteServingState;
const T0 = Date.parse('2026-11-22T10:00:00Z');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'serving-'));
  state = new SqliteServingState({ path: join(dir, 'serving.db'), now: () => new Date(T0) });
});
afterEach(async () => {
  await state.close();
  await rm(dir, { recursive: true, force: true });
});

const pred = (i: number, over: Partial<PredictionLogEntry> = {}): PredictionLogEntry => ({
  requestId: `r${i}`,
  modelId: 'sea',
  version: 1,
  features: { x1: i, x2: i * 2, region: i % 2 ? 'north' : 'south' },
  prediction: i % 2,
  probability: i % 2 ? 0.8 : 0.2,
  latencyMs: i + 1,
  atMs: T0 + i * 1000,
  ...over,
});

describe('routing table', () => {
  it('bumps the revision atomically and survives a reopen', async () => {
    const a = await state.setRouting('sea', { championVersion: 1 });
    const b = await state.setRouting(
      'sea',
      { championVersion: 1, canary: { version: 2, weight: 0.1 } },
      { expectedRevision: 1 },
    );
    expect([a.revision, b.revision]).toEqual([1, 2]);
    await state.close();
    state = new SqliteServingState({ path: join(dir, 'serving.db') });
    expect(await state.getRouting('sea')).toMatchObject({
      modelId: 'sea',
      championVersion: 1,
      canary: { version: 2, weight: 0.1 },
      revision: 2,
    });
    expect((await state.routingHistory('sea')).map((r) => r.canary?.weight ?? 0)).toEqual([0, 0.1]);
  });

  it('refuses a stale compare-and-set with the current revision in the message', async () => {
    await state.setRouting('sea', { championVersion: 1 });
    await state.setRouting('sea', { championVersion: 2 });
    const err = await state.setRouting('sea', { championVersion: 3 }, { expectedRevision: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RoutingConflictError);
    expect((err as Error).message).toBe('routing of sea is at revision 2, not 1: re-read it and decide again');
    expect((await state.getRouting('sea'))?.championVersion).toBe(2);
    await expect(state.setRouting('new', { championVersion: 1 }, { expectedRevision: 0 })).resolves.toMatchObject({
      revision: 1,
    });
  });

  it('refuses invalid routing naming the field', async () => {
    await expect(state.setRouting('sea', { championVersion: 1, canary: { version: 2, weight: 1.5 } })).rejects.toThrow(
      /canary\.weight/,
    );
    await expect(state.setRouting('sea', { championVersion: 1, canary: { version: 1, weight: 0.5 } })).rejects.toThrow(
      ServingInputError,
    );
    expect(await state.getRouting('sea')).toBeNull();
  });
});

describe('prediction log', () => {
  it('computes live metrics per version and window, joining labels that arrive later', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => pred(i));
    rows.push(pred(100, { error: 'model crashed', prediction: null, probability: null, latencyMs: 999 }));
    rows.push(...Array.from({ length: 10 }, (_, i) => pred(200 + i, { version: 2, arm: 'canary', atMs: T0 + i })));
    await state.logPredictions(rows);
    // Labels for r0..r49: the model is right on even ids only when label = i % 2; make 10 of them wrong.
    await state.recordLabels(
      Array.from({ length: 50 }, (_, i) => ({ requestId: `r${i}`, label: i < 10 ? 1 - (i % 2) : i % 2 })),
    );
    await state.recordLabels([{ requestId: 'r-unknown', label: 1 }]); // label before (or without) its prediction
    const m = await state.readLiveMetrics({ modelId: 'sea', version: 1, fromMs: T0, toMs: T0 + 1_000_000 });
    expect(m.count).toBe(101);
    expect(m.errorRate).toBeCloseTo(1 / 101);
    expect(m.p95LatencyMs).toBe(95); // latencies 1..100 on successful rows: nearest-rank p95
    expect(m.labeledCount).toBe(50);
    expect(m.accuracy).toBeCloseTo(40 / 50);
    const canary = await state.readLiveMetrics({ modelId: 'sea', version: 2, fromMs: T0, toMs: T0 + 1000 });
    expect(canary).toMatchObject({ count: 10, errorRate: 0, labeledCount: 0 });
    expect(canary.accuracy).toBeUndefined();
    const window = await state.readLiveMetrics({ modelId: 'sea', version: 1, fromMs: T0, toMs: T0 + 10_000 });
    expect(window.count).toBe(10);
  });

  it('returns zeros for an empty window, and MAE for regression', async () => {
    expect(await state.readLiveMetrics({ modelId: 'sea', fromMs: 0, toMs: 10 })).toEqual({
      count: 0,
      errorRate: 0,
      p95LatencyMs: null,
      labeledCount: 0,
    });
    await state.logPredictions([pred(1, { prediction: 3.5, probability: null }), pred(2, { prediction: 1 })]);
    await state.recordLabels([
      { requestId: 'r1', label: 3 },
      { requestId: 'r2', label: 2 },
    ]);
    const m = await state.readLiveMetrics({ modelId: 'sea', fromMs: T0, toMs: T0 + 10_000, task: 'regression' });
    expect(m.mae).toBeCloseTo(0.75);
  });

  it('ignores a duplicate request row (a retried flush) but keeps its shadow twin', async () => {
    await state.logPredictions([pred(1), pred(1), pred(1, { arm: 'shadow', version: 3 })]);
    expect((await state.readLiveMetrics({ modelId: 'sea', fromMs: T0, toMs: T0 + 10_000 })).count).toBe(2);
    expect((await state.readLiveMetrics({ modelId: 'sea', version: 3, fromMs: T0, toMs: T0 + 10_000 })).count).toBe(1);
  });

  it('measures how often a shadow version agrees with the answer served for the same request', async () => {
    const served = [1, 2, 3, 4].map((i) => pred(i));
    // The shadow (v3) agrees on requests 1-3 and disagrees on 4; a failed shadow copy is not compared.
    const shadow = [1, 2, 3].map((i) => pred(i, { arm: 'shadow', version: 3 }));
    await state.logPredictions([
      ...served,
      ...shadow,
      pred(4, { arm: 'shadow', version: 3, prediction: 1 - (4 % 2) }),
      pred(5, { arm: 'shadow', version: 3, error: 'boom', prediction: null, probability: null }),
    ]);
    const m = await state.readLiveMetrics({ modelId: 'sea', version: 3, fromMs: T0, toMs: T0 + 10_000 });
    expect(m).toMatchObject({ shadowCount: 4, agreement: 0.75 });
    expect(
      await state.readLiveMetrics({ modelId: 'sea', version: 1, fromMs: T0, toMs: T0 + 10_000 }),
    ).not.toHaveProperty('agreement');
  });

  it('reads a window of logged features as a columnar table, without shadow copies or failures', async () => {
    await state.logPredictions([
      pred(1),
      pred(2, { features: { x1: null, x2: 4, region: null } }),
      pred(2, { arm: 'shadow', version: 2 }),
      pred(3, { error: 'boom', prediction: null }),
    ]);
    await state.recordLabels([{ requestId: 'r1', label: 1 }]);
    const w = await state.readFeatureWindow({ modelId: 'sea', fromMs: T0, toMs: T0 + 10_000 });
    expect(w.table.rowCount).toBe(2);
    const x1 = w.table.columns.x1;
    expect(x1?.kind).toBe('numeric');
    expect(Array.from(x1?.values as Float64Array)).toEqual([1, Number.NaN]);
    expect(w.table.columns.region).toEqual({ kind: 'categorical', values: ['north', null] });
    expect(Array.from(w.labels)).toEqual([1, Number.NaN]);
  });

  it('refuses a malformed prediction record naming the field', async () => {
    await expect(state.logPredictions([pred(1, { latencyMs: -1 })])).rejects.toThrow(
      /invalid prediction record "r1": latencyMs/,
    );
  });

  it('batches buffered predictions into transactions', async () => {
    const batches: number[] = [];
    const buffer = new PredictionLogBuffer({
      write: (rs) => (batches.push(rs.length), state.logPredictionsSync(rs)),
      maxBatch: 40,
      flushIntervalMs: 5,
    });
    for (let i = 0; i < 100; i++) buffer.push(pred(i));
    expect(batches).toEqual([40, 40]);
    await waitFor(() => batches.length === 3, { describe: 'the flush timer to write the rest', timeoutMs: 5_000 });
    expect(batches).toEqual([40, 40, 20]);
    expect((await state.readLiveMetrics({ modelId: 'sea', fromMs: T0, toMs: T0 + 1e6 })).count).toBe(100);
  });
});

describe('as the gateway prediction log sink', () => {
  it('appends gateway entries and joins labels only to known requests', async () => {
    state.appendPredictions([
      {
        requestId: 'g1',
        modelId: 'sea',
        version: 1,
        arm: 'champion',
        features: { x1: 1 },
        prediction: 1,
        probability: 0.9,
        latencyMs: 0.2,
        atMs: T0,
      },
      {
        requestId: 'g1',
        modelId: 'sea',
        version: 2,
        arm: 'shadow',
        features: { x1: 1 },
        prediction: 0,
        probability: 0.3,
        latencyMs: 0.3,
        atMs: T0,
      },
    ]);
    expect(state.recordLabel('sea', 'g1', 1, T0 + 5)).toEqual({ outcome: 'stored' });
    expect(state.recordLabel('sea', 'nope', 1, T0 + 5)).toEqual({ outcome: 'unknownRequest' });
    expect(state.recordLabel('other-model', 'g1', 1, T0 + 5)).toEqual({ outcome: 'unknownRequest' });
    expect(state.findPrediction('sea', 'g1')).toEqual({ version: 1 });
    expect(state.findPrediction('other-model', 'g1')).toBeNull();
    expect(await state.readLiveMetrics({ modelId: 'sea', version: 1, fromMs: T0, toMs: T0 + 1 })).toMatchObject({
      count: 1,
      labeledCount: 1,
      accuracy: 1,
    });
    expect(await state.readLiveMetrics({ modelId: 'sea', version: 2, fromMs: T0, toMs: T0 + 1 })).toMatchObject({
      count: 1,
      labeledCount: 1,
      accuracy: 0,
    });
  });
});

describe('labels are written once (issue #16 F5: a later label overwrote a valid one)', () => {
  const labelOf = (requestId: string) =>
    state.db.prepare('SELECT label, ts FROM labels WHERE request_id = ?').get(requestId);

  it('the gateway sink refuses a second label for a request and says which label stayed', async () => {
    state.appendPredictions([
      {
        requestId: 'g1',
        modelId: 'sea',
        version: 1,
        arm: 'champion',
        features: { x1: 1 },
        prediction: 1,
        probability: 0.9,
        latencyMs: 0.2,
        atMs: T0,
      },
    ]);
    state.recordLabel('sea', 'g1', 1, T0 + 5);
    const second = state.recordLabel('sea', 'g1', 0, T0 + 9);
    expect(labelOf('g1')).toEqual({ label: 1, ts: T0 + 5 });
    expect(second).toEqual({ outcome: 'alreadyLabelled', label: 1, atMs: T0 + 5 });
  });

  it('a batch of labels keeps the first label of a request and counts the rest', async () => {
    await state.logPredictions([pred(1)]);
    await state.recordLabels([{ requestId: 'r1', label: 1, timeMs: T0 + 5 }]);
    const again = await state.recordLabels([
      { requestId: 'r1', label: 0 },
      { requestId: 'r2', label: 1 },
    ]);
    expect(labelOf('r1')).toEqual({ label: 1, ts: T0 + 5 });
    expect(again).toEqual({ stored: 1, alreadyLabelled: 1 });
  });

  it('logs the flags of a scored out-of-range value, and opens a database from before the flags column', async () => {
    state.appendPredictions([
      {
        requestId: 'f1',
        modelId: 'sea',
        version: 1,
        arm: 'champion',
        features: { x1: 99 },
        prediction: 1,
        probability: 0.9,
        latencyMs: 0.2,
        atMs: T0,
        flags: [{ field: 'features.x1', message: 'features.x1: 99 is above the maximum 10' }],
      },
    ]);
    expect(state.db.prepare('SELECT flags FROM predictions WHERE request_id = ?').get('f1')).toEqual({
      flags: '[{"field":"features.x1","message":"features.x1: 99 is above the maximum 10"}]',
    });
    const old = join(dir, 'old.db');
    const before = new SqliteServingState({ path: old });
    before.db.exec('ALTER TABLE predictions DROP COLUMN flags');
    await before.close();
    const reopened = new SqliteServingState({ path: old });
    try {
      reopened.appendPredictions([
        {
          requestId: 'f2',
          modelId: 'sea',
          version: 1,
          arm: 'champion',
          features: {},
          prediction: 1,
          probability: 0.9,
          latencyMs: 0.2,
          atMs: T0,
        },
      ]);
      expect(reopened.db.prepare('SELECT flags FROM predictions').get()).toEqual({ flags: null });
    } finally {
      await reopened.close();
    }
  });
});

describe('shared between processes (two connections to one file)', () => {
  it('a routing change by the rollout is seen by the gateway, and a stale compare-and-set loses', async () => {
    const gateway = new SqliteServingState({ path: join(dir, 'serving.db') });
    try {
      const r1 = await state.setRouting('sea', { championVersion: 1 });
      expect((await gateway.getRouting('sea'))?.revision).toBe(1);
      await gateway.setRouting('sea', { championVersion: 1, shadowVersion: 2 }, { expectedRevision: r1.revision });
      await expect(
        state.setRouting('sea', { championVersion: 3 }, { expectedRevision: r1.revision }),
      ).rejects.toBeInstanceOf(RoutingConflictError);
      gateway.appendPredictions([
        {
          requestId: 'x',
          modelId: 'sea',
          version: 1,
          arm: 'champion',
          features: {},
          prediction: 1,
          probability: 0.7,
          latencyMs: 1,
          atMs: T0,
        },
      ]);
      expect((await state.readLiveMetrics({ modelId: 'sea', fromMs: T0, toMs: T0 + 1 })).count).toBe(1);
    } finally {
      await gateway.close();
    }
  });
});
