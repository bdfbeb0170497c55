import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PredictionLogBuffer, SqliteServingState } from '../../../src/adapters/serving-state/index.js';
import { waitFor } from '../../support/wait-for.js';
import { expectLiveMetricsMatchRawRows, logSample, RawLog } from './live-metrics-brute-force.js';
import { pred, servingStateContract, T0 } from './serving-state-contract.js';

describe('SQLite serving state: the serving-state contract', () => {
  let dir: string | undefined;
  servingStateContract({
    async fresh({ now }) {
      dir = await mkdtemp(join(tmpdir(), 'serving-'));
      return new SqliteServingState({ path: join(dir, 'serving.db'), now });
    },
    async connect() {
      return new SqliteServingState({ path: join(dir!, 'serving.db') });
    },
    async cleanup() {
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  });
});

describe('SQLite serving state: its own file', () => {
  let dir: string;
  let state: SqliteServingState;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'serving-'));
    state = new SqliteServingState({ path: join(dir, 'serving.db'), now: () => new Date(T0) });
  });
  afterEach(async () => {
    await state.close();
    await rm(dir, { recursive: true, force: true });
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

  it('logs the flags of a scored out-of-range value, and opens a database from before the flags column', async () => {
    const entry = { ...pred(1), requestId: 'f1', arm: 'champion' as const };
    state.appendPredictions([
      { ...entry, flags: [{ field: 'features.x1', message: 'features.x1: 99 is above the maximum 10' }] },
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
      reopened.appendPredictions([{ ...entry, requestId: 'f2' }]);
      expect(reopened.db.prepare('SELECT flags FROM predictions').get()).toEqual({ flags: null });
    } finally {
      await reopened.close();
    }
  });

  it('fills the live-metrics rollup from the rows of a database from before it, and keeps it from then on', async () => {
    const old = join(dir, 'old.db');
    const log = new RawLog();
    const before = new SqliteServingState({ path: old });
    before.db.exec(`DROP TRIGGER live_metrics_on_prediction; DROP TRIGGER live_metrics_on_label;
      DROP TABLE live_metrics_rollup; DROP INDEX predictions_latency; DROP INDEX predictions_shadow; PRAGMA user_version = 2`);
    await logSample(before, log, { t0: T0, from: 0, to: 300 });
    await before.close();
    const after = new SqliteServingState({ path: old });
    try {
      await logSample(after, log, { t0: T0, from: 300, to: 360, relabel: [0, 3, 6, 9, 12] });
      await expectLiveMetricsMatchRawRows(after, log, {
        modelId: 'sea',
        versions: [1, 2],
        fromMs: T0,
        toMs: T0 + 360 * 700,
        windows: 8,
        seed: 2,
      });
    } finally {
      await after.close();
    }
  });

  it('records load failures synchronously (the gateway sink), also in a database created before they existed', async () => {
    const old = join(dir, 'old.db');
    const db = new Database(old);
    db.exec(
      'CREATE TABLE routing (model_id TEXT PRIMARY KEY, revision INTEGER NOT NULL, spec TEXT NOT NULL, updated_at TEXT NOT NULL); PRAGMA user_version = 1;',
    );
    db.close();
    const reopened = new SqliteServingState({ path: old });
    try {
      const failure = {
        modelId: 'sea',
        version: 2,
        kind: 'artifact integrity' as const,
        message: 'tampered',
        atMs: T0,
      };
      reopened.recordLoadFailureSync(failure);
      expect(await reopened.readLoadFailures({ modelId: 'sea', version: 2, fromMs: T0, toMs: T0 + 1 })).toMatchObject({
        count: 1,
      });
    } finally {
      await reopened.close();
    }
  });
});
