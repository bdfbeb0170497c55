import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  RoutingConflictError,
  ServingInputError,
  type ServingStateForGateway,
} from '../../../src/adapters/serving-state/index.js';
import type { PredictionLogEntry } from '../../../src/domain/records/prediction-log-entry.js';
import { expectLiveMetricsMatchRawRows, RawLog, seededRandom } from './live-metrics-brute-force.js';

/** A backend under contract: a fresh, empty store per test, and more connections to that same store. */
export interface ServingStateBackend {
  /** A new empty store; returns its first connection. */
  fresh(opts: { now: () => Date }): Promise<ServingStateForGateway>;
  /** Another connection to the store `fresh` made last (another process, a replica, or a reopen). */
  connect(): Promise<ServingStateForGateway>;
  /** Drops what `fresh` made. */
  cleanup(): Promise<void>;
}

export const T0 = Date.parse('2026-11-22T10:00:00Z');

export const pred = (i: number, over: Partial<PredictionLogEntry> = {}): PredictionLogEntry => ({
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

const gatewayEntry = (over: Partial<PredictionLogEntry> = {}): PredictionLogEntry => ({
  requestId: 'g1',
  modelId: 'sea',
  version: 1,
  arm: 'champion',
  features: { x1: 1 },
  prediction: 1,
  probability: 0.9,
  latencyMs: 0.2,
  atMs: T0,
  ...over,
});

const failure = (atMs: number, over: Record<string, unknown> = {}) => ({
  modelId: 'sea',
  version: 2,
  kind: 'artifact integrity' as const,
  message: `artifact of v2 is corrupt or tampered (${atMs})`,
  atMs,
  ...over,
});

/**
 * What every ServingState implementation promises (the rollout, the monitor and the
 * gateway rely on it), run against each backend: SQLite and PostgreSQL.
 */
export function servingStateContract(backend: ServingStateBackend): void {
  let state: ServingStateForGateway;
  const others: ServingStateForGateway[] = [];
  const another = async () => {
    const s = await backend.connect();
    others.push(s);
    return s;
  };

  beforeEach(async () => {
    state = await backend.fresh({ now: () => new Date(T0) });
  });
  afterEach(async () => {
    for (const s of others.splice(0)) await s.close();
    await state.close();
    await backend.cleanup();
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
      expect(b.updatedAt).toBe(new Date(T0).toISOString());
      await state.close();
      state = await backend.connect();
      expect(await state.getRouting('sea')).toMatchObject({
        modelId: 'sea',
        championVersion: 1,
        canary: { version: 2, weight: 0.1 },
        revision: 2,
      });
      expect((await state.routingHistory('sea')).map((r) => r.canary?.weight ?? 0)).toEqual([0, 0.1]);
      expect((await state.listRouting()).map((r) => [r.modelId, r.revision])).toEqual([['sea', 2]]);
    });

    it('refuses a stale compare-and-set with the current revision in the message', async () => {
      await state.setRouting('sea', { championVersion: 1 });
      await state.setRouting('sea', { championVersion: 2 });
      const err = await state
        .setRouting('sea', { championVersion: 3 }, { expectedRevision: 1 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RoutingConflictError);
      expect((err as Error).message).toBe('routing of sea is at revision 2, not 1: re-read it and decide again');
      expect((await state.getRouting('sea'))?.championVersion).toBe(2);
      await expect(state.setRouting('new', { championVersion: 1 }, { expectedRevision: 0 })).resolves.toMatchObject({
        revision: 1,
      });
    });

    it('refuses invalid routing naming the field', async () => {
      await expect(
        state.setRouting('sea', { championVersion: 1, canary: { version: 2, weight: 1.5 } }),
      ).rejects.toThrow(/canary\.weight/);
      await expect(
        state.setRouting('sea', { championVersion: 1, canary: { version: 1, weight: 0.5 } }),
      ).rejects.toThrow(ServingInputError);
      expect(await state.getRouting('sea')).toBeNull();
    });

    it('of concurrent compare-and-sets on one revision from two connections, exactly one wins', async () => {
      const replica = await another();
      const base = await state.setRouting('sea', { championVersion: 1 });
      const writers = [state, replica, state, replica].map((s, i) =>
        s.setRouting('sea', { championVersion: 2 + i }, { expectedRevision: base.revision }),
      );
      const results = await Promise.allSettled(writers);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(RoutingConflictError);
      expect((await replica.routingHistory('sea')).map((r) => r.revision)).toEqual([1, 2]);
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

    it('counts a label stored before its prediction once the prediction is logged', async () => {
      await state.recordLabels([{ requestId: 'r3', label: 1 }]);
      await state.logPredictions([pred(3)]);
      expect(await state.readLiveMetrics({ modelId: 'sea', fromMs: T0, toMs: T0 + 10_000 })).toMatchObject({
        labeledCount: 1,
        accuracy: 1,
      });
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
      await state.logPredictions([pred(1)]);
      expect((await state.readLiveMetrics({ modelId: 'sea', fromMs: T0, toMs: T0 + 10_000 })).count).toBe(2);
      expect((await state.readLiveMetrics({ modelId: 'sea', version: 3, fromMs: T0, toMs: T0 + 10_000 })).count).toBe(
        1,
      );
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
      // The answered P(class 1) per row: the label-free performance estimate reads it.
      expect(Array.from(w.probabilities)).toEqual([0.8, 0.2]);
      const capped = await state.readFeatureWindow({ modelId: 'sea', fromMs: T0, toMs: T0 + 10_000, limit: 1 });
      expect(Array.from(capped.versions)).toEqual([1]);
      expect(capped.table.columns.x1?.kind).toBe('numeric');
    });

    it('refuses a malformed prediction record naming the field', async () => {
      await expect(state.logPredictions([pred(1, { latencyMs: -1 })])).rejects.toThrow(
        /invalid prediction record "r1": latencyMs/,
      );
      await expect(state.readLiveMetrics({ modelId: 'sea', fromMs: 10, toMs: 5 })).rejects.toThrow(/toMs/);
    });
  });

  describe('live metrics equal brute force over the raw rows (the rollup must never drift)', () => {
    it('for random windows, with labels before, after and while their predictions are written from two connections', async () => {
      const replica = await another();
      const log = new RawLog();
      const rnd = seededRandom(7);
      const span = 120_000; // 120 rollup buckets
      const entry = (i: number, over: Partial<PredictionLogEntry> = {}): PredictionLogEntry => {
        const failed = rnd() < 0.08;
        return {
          requestId: `q${i}`,
          modelId: 'sea',
          version: i % 3 === 0 ? 2 : 1,
          arm: i % 3 === 0 ? 'canary' : 'champion',
          features: { x1: i },
          prediction: failed ? null : [0, 1, 0.5][Math.floor(rnd() * 3)]!,
          probability: null,
          latencyMs: Math.round(rnd() * 40) / 4, // ties on purpose
          atMs: i % 17 === 0 ? T0 + 10_000 * (i % 12) : T0 + Math.floor(rnd() * span), // some on a bucket's first ms
          ...(failed ? { error: 'boom' } : {}),
          ...(i % 4 === 0 ? {} : { replica: i % 4 === 1 ? 'gw-a' : 'gw-b' }),
          ...over,
        };
      };
      const shadowOf = (e: PredictionLogEntry) =>
        entry(Number(e.requestId.slice(1)), { version: 3, arm: 'shadow', atMs: e.atMs, prediction: Math.round(rnd()) });
      const batch = (from: number, to: number) => {
        const rows = Array.from({ length: to - from }, (_, k) => entry(from + k));
        return [...rows, ...rows.filter((_, k) => k % 5 === 0).map(shadowOf)];
      };
      const labelsFor = (from: number, to: number) =>
        Array.from({ length: to - from }, (_, k) => ({ requestId: `q${from + k}`, label: Math.round(rnd()) })).filter(
          () => rnd() < 0.6,
        );
      const write = {
        rows: async (s: ServingStateForGateway, rows: PredictionLogEntry[]) => (
          await s.logPredictions(rows),
          log.logged(rows)
        ),
        labels: async (s: ServingStateForGateway, ls: Array<{ requestId: string; label: number }>) => {
          await s.recordLabels(ls);
          for (const l of ls) log.labelled(l.requestId, l.label);
        },
      };
      // Labels that arrive before their predictions, then predictions and labels of other requests at once.
      await write.labels(replica, labelsFor(0, 200));
      const a = batch(0, 200);
      const b = batch(200, 400);
      const c = batch(400, 600);
      await Promise.all([
        write.rows(state, a.slice(0, 120)),
        write.rows(replica, b),
        write.labels(state, labelsFor(200, 400)),
        write.rows(state, a.slice(120)),
        write.rows(replica, c.slice(0, 100)),
      ]);
      await write.rows(state, c.slice(100));
      await write.labels(replica, [...labelsFor(400, 600), ...labelsFor(0, 600), { requestId: 'q-none', label: 1 }]);
      // A retried flush and single labels from the gateway path: the first row and the first label stay.
      await write.rows(
        replica,
        a.slice(0, 50).map((e) => ({ ...e, prediction: 1, latencyMs: 99 })),
      );
      for (const i of [3, 5, 8, 13, 405]) {
        const w = await state.recordLabel('sea', `q${i}`, 1, T0);
        if (w.outcome === 'stored') log.labelled(`q${i}`, 1);
      }
      const compared = await expectLiveMetricsMatchRawRows(replica, log, {
        modelId: 'sea',
        versions: [1, 2, 3],
        fromMs: T0 - 5_000,
        toMs: T0 + span + 5_000,
        windows: 24,
        seed: 11,
      });
      expect(compared).toBe(200);
    });

    it('when the p95 walks the latency index from the top (a window of thousands of rows)', async () => {
      const log = new RawLog();
      const rnd = seededRandom(3);
      const rows = Array.from({ length: 9_000 }, (_, i) =>
        pred(i, { latencyMs: Math.round(rnd() * 2000) / 8, atMs: T0 + i * 10, version: i % 4 === 0 ? 2 : 1 }),
      );
      for (let i = 0; i < rows.length; i += 3_000) await state.appendPredictions(rows.slice(i, i + 3_000));
      log.logged(rows);
      await expectLiveMetricsMatchRawRows(state, log, {
        modelId: 'sea',
        versions: [1, 2],
        fromMs: T0,
        toMs: T0 + 90_000,
        windows: 4,
        seed: 5,
      });
    });

    it('when the window holds the fast rows of a version, so its top latencies lie outside the window', async () => {
      const log = new RawLog();
      const rnd = seededRandom(4);
      // The first third is slow: a walk sized for a window like the rest of the log finds none of the window's rows.
      const rows = Array.from({ length: 12_000 }, (_, i) =>
        pred(i, {
          latencyMs: (i < 4_000 ? 100 : 0) + Math.round(rnd() * 400) / 8,
          atMs: T0 + i * 10,
          version: i % 4 === 0 ? 2 : 1,
        }),
      );
      for (let i = 0; i < rows.length; i += 4_000) await state.appendPredictions(rows.slice(i, i + 4_000));
      log.logged(rows);
      await expectLiveMetricsMatchRawRows(state, log, {
        modelId: 'sea',
        versions: [1, 2],
        fromMs: T0 + 40_000,
        toMs: T0 + 120_000,
        windows: 2,
        seed: 6,
      });
    });
  });

  describe('as the gateway prediction log sink', () => {
    it('appends gateway entries and joins labels only to known requests', async () => {
      await state.appendPredictions([gatewayEntry(), gatewayEntry({ version: 2, arm: 'shadow', prediction: 0 })]);
      expect(await state.recordLabel('sea', 'g1', 1, T0 + 5)).toEqual({ outcome: 'stored' });
      expect(await state.recordLabel('sea', 'nope', 1, T0 + 5)).toEqual({ outcome: 'unknownRequest' });
      expect(await state.recordLabel('other-model', 'g1', 1, T0 + 5)).toEqual({ outcome: 'unknownRequest' });
      expect(await state.findPrediction('sea', 'g1')).toEqual({ version: 1 });
      expect(await state.findPrediction('other-model', 'g1')).toBeNull();
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
    it('the gateway sink refuses a second label for a request and says which label stayed', async () => {
      await state.appendPredictions([gatewayEntry()]);
      await state.recordLabel('sea', 'g1', 1, T0 + 5);
      expect(await state.recordLabel('sea', 'g1', 0, T0 + 9)).toEqual({
        outcome: 'alreadyLabelled',
        label: 1,
        atMs: T0 + 5,
      });
    });

    it('of concurrent labels for one request from two connections, exactly one is stored', async () => {
      const replica = await another();
      await state.appendPredictions([gatewayEntry()]);
      const writes = await Promise.all([
        state.recordLabel('sea', 'g1', 1, T0 + 5),
        replica.recordLabel('sea', 'g1', 0, T0 + 6),
        state.recordLabel('sea', 'g1', 0, T0 + 7),
      ]);
      const stored = writes.filter((w) => w.outcome === 'stored');
      expect(stored).toHaveLength(1);
      const kept = await replica.recordLabel('sea', 'g1', 0, T0 + 9);
      expect(kept.outcome).toBe('alreadyLabelled');
      for (const w of writes) if (w.outcome !== 'stored') expect(w).toEqual(kept);
    });

    it('a batch of labels keeps the first label of a request and counts the rest', async () => {
      await state.logPredictions([pred(1)]);
      await state.recordLabels([{ requestId: 'r1', label: 1, timeMs: T0 + 5 }]);
      const again = await state.recordLabels([
        { requestId: 'r1', label: 0 },
        { requestId: 'r2', label: 1 },
      ]);
      expect(again).toEqual({ stored: 1, alreadyLabelled: 1 });
      expect(await state.recordLabel('sea', 'r1', 0, T0 + 9)).toEqual({
        outcome: 'alreadyLabelled',
        label: 1,
        atMs: T0 + 5,
      });
    });
  });

  describe('model load failures per version', () => {
    it('are read back per version and window: count, latest kind and message', async () => {
      await state.recordLoadFailure(failure(T0));
      await state.recordLoadFailure(failure(T0 + 1000));
      await state.recordLoadFailure(
        failure(T0 + 2000, { kind: 'invalid model artifact', message: 'not a linear model' }),
      );
      await state.recordLoadFailure(failure(T0 + 1500, { version: 1 }));
      expect(await state.readLoadFailures({ modelId: 'sea', version: 2, fromMs: T0, toMs: T0 + 5000 })).toEqual({
        count: 3,
        kind: 'invalid model artifact',
        message: 'not a linear model',
        lastAtMs: T0 + 2000,
      });
      expect(
        await state.readLoadFailures({ modelId: 'sea', version: 2, fromMs: T0 + 500, toMs: T0 + 1500 }),
      ).toMatchObject({ count: 1, lastAtMs: T0 + 1000 });
      expect(await state.readLoadFailures({ modelId: 'sea', version: 3, fromMs: T0, toMs: T0 + 5000 })).toBeNull();
      expect(await state.readLoadFailures({ modelId: 'other', version: 2, fromMs: T0, toMs: T0 + 5000 })).toBeNull();
    });

    it('refuse a malformed record, naming the field', async () => {
      await expect(state.recordLoadFailure(failure(T0, { kind: 'gremlins' }))).rejects.toThrow(ServingInputError);
      await expect(state.recordLoadFailure(failure(T0, { version: 0 }))).rejects.toThrow(/version/);
      await expect(state.readLoadFailures({ modelId: 'sea', version: 2, fromMs: 10, toMs: 5 })).rejects.toThrow(/toMs/);
    });
  });

  describe('alert claims (webhook de-dup and replay guard)', () => {
    it('of two replicas claiming one live key at once exactly one gets it; an expired or released key is claimable again', async () => {
      const replica = await another();
      const now = Date.now();
      const claims = [state.alertClaims(), replica.alertClaims()];
      const got = await Promise.all([...claims, ...claims].map((c) => c.claim('alert:fp1', now + 60_000)));
      expect(got.filter(Boolean)).toHaveLength(1);
      await claims[0]!.release('alert:fp1');
      expect(await claims[1]!.claim('alert:fp1', now - 1)).toBe(true); // claimed, but already expired
      expect(await claims[0]!.claim('alert:fp1', now + 60_000)).toBe(true);
      await claims[0]!.extend('alert:fp1', now + 120_000);
      expect(await claims[1]!.claim('alert:fp1', now + 60_000)).toBe(false);
    });
  });

  describe('shared between processes (two connections to one store)', () => {
    it('a routing change by the rollout is seen by the gateway, and a stale compare-and-set loses', async () => {
      const gateway = await another();
      const r1 = await state.setRouting('sea', { championVersion: 1 });
      expect((await gateway.getRouting('sea'))?.revision).toBe(1);
      await gateway.setRouting('sea', { championVersion: 1, shadowVersion: 2 }, { expectedRevision: r1.revision });
      await expect(
        state.setRouting('sea', { championVersion: 3 }, { expectedRevision: r1.revision }),
      ).rejects.toBeInstanceOf(RoutingConflictError);
      await gateway.appendPredictions([gatewayEntry({ requestId: 'x', features: {}, probability: 0.7, latencyMs: 1 })]);
      expect((await state.readLiveMetrics({ modelId: 'sea', fromMs: T0, toMs: T0 + 1 })).count).toBe(1);
    });

    it('two replicas logging at once: every row of both is in the live metrics', async () => {
      const replica = await another();
      const batches = Array.from({ length: 20 }, (_, b) =>
        Array.from({ length: 50 }, (_, i) => pred(b * 50 + i, { atMs: T0 + b * 50 + i })),
      );
      await Promise.all(batches.map((rows, b) => (b % 2 ? replica : state).appendPredictions(rows)));
      expect((await state.readLiveMetrics({ modelId: 'sea', fromMs: T0, toMs: T0 + 1000 })).count).toBe(1000);
    });

    it('counts a window per replica that served it when asked (servedBy), from rows that name their replica', async () => {
      const replica = await another();
      await state.appendPredictions([0, 1, 2].map((i) => pred(i, { replica: 'gw-a' })));
      await replica.appendPredictions([3, 4].map((i) => pred(i, { replica: 'gw-b' })));
      await state.appendPredictions([pred(5), pred(6, { version: 2, replica: 'gw-b' })]);
      const window = { modelId: 'sea', version: 1, fromMs: T0, toMs: T0 + 10_000 };
      const judged = await state.readLiveMetrics({ ...window, servedBy: true });
      expect(judged).toMatchObject({ count: 6, servedBy: { 'gw-a': 3, 'gw-b': 2 } });
      expect(await state.readLiveMetrics(window)).not.toHaveProperty('servedBy');
      expect(
        await state.readLiveMetrics({ ...window, fromMs: T0 + 5000, servedBy: true }),
        'no row of the window names a replica',
      ).not.toHaveProperty('servedBy');
    });
  });
}
