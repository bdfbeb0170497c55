import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteServingState } from '../../../src/adapters/serving-state/index.js';
import type { PredictionLogEntry } from '../../../src/domain/records/prediction-log-entry.js';
import { GroupCommitLog } from '../../../src/serving/group-commit-log.js';

let dir: string;
let state: SqliteServingState;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'group-commit-'));
  state = new SqliteServingState({ path: join(dir, 'serving.db') });
});
afterEach(async () => {
  await state.close();
  await rm(dir, { recursive: true, force: true });
});

const entry = (i: number): PredictionLogEntry => ({
  requestId: `r${i}`,
  modelId: 'm',
  version: 1,
  arm: 'champion',
  features: { x: i },
  prediction: 1,
  probability: 0.5,
  latencyMs: 0.1,
  atMs: i,
});
const count = () => (state.db.prepare('SELECT COUNT(*) AS n FROM predictions').get() as { n: number }).n;

describe('GroupCommitLog over SQLite', () => {
  it('commits the rows of one event-loop turn in one transaction and resolves each append once its row is in the file', async () => {
    const batches: number[] = [];
    const log = new GroupCommitLog<PredictionLogEntry>(
      (rows) => (batches.push(rows.length), state.appendPredictions(rows)),
      { maxBatch: 25 },
    );
    const appended = Array.from({ length: 60 }, (_, i) =>
      log.append(entry(i)).then(() => state.db.prepare('SELECT 1 FROM predictions WHERE request_id = ?').get(`r${i}`)),
    );
    const seen = await Promise.all(appended);
    expect(seen.every((row) => row !== undefined)).toBe(true);
    expect(batches).toEqual([25, 25, 10]);
    expect(count()).toBe(60);
  });

  it('rejects every append of a failed transaction, and none of its rows is kept', async () => {
    const log = new GroupCommitLog<PredictionLogEntry>((rows) => state.appendPredictions(rows));
    state.db.exec(
      `CREATE TRIGGER refuse_r3 BEFORE INSERT ON predictions WHEN NEW.request_id = 'r3' BEGIN SELECT RAISE(ABORT, 'refused'); END;`,
    );
    const results = await Promise.allSettled([1, 2, 3].map((i) => log.append(entry(i))));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(count()).toBe(0);
    // The next turn is a new transaction.
    await log.append(entry(4));
    await log.drain();
    expect(count()).toBe(1);
  });

  it('with an asynchronous sink (PostgreSQL), rows of later turns wait for the transaction in flight and share the next one', async () => {
    const batches: number[] = [];
    const log = new GroupCommitLog<PredictionLogEntry>(async (rows) => {
      batches.push(rows.length);
      await new Promise((r) => setTimeout(r, 30)); // a round trip to a database server
      state.appendPredictions(rows);
    });
    const appended = [log.append(entry(0))];
    for (let turn = 0; turn < 10; turn++) {
      await new Promise((r) => setImmediate(r));
      for (let i = 0; i < 10; i++) appended.push(log.append(entry(1 + turn * 10 + i)));
    }
    await Promise.all(appended);
    expect(batches).toEqual([1, 100]);
    expect(count()).toBe(101);
  });
});
