import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServingInputError, SqliteServingState } from '../../../src/adapters/serving-state/index.js';

let dir: string;
let state: SqliteServingState;
const T0 = Date.parse('2026-11-22T10:00:00Z');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'serving-'));
  state = new SqliteServingState({ path: join(dir, 'serving.db') });
});
afterEach(async () => {
  await state.close();
  await rm(dir, { recursive: true, force: true });
});

const failure = (atMs: number, over: Record<string, unknown> = {}) => ({
  modelId: 'sea',
  version: 2,
  kind: 'artifact integrity' as const,
  message: `artifact of v2 is corrupt or tampered (${atMs})`,
  atMs,
  ...over,
});

describe('model load failures per version', () => {
  it('are read back per version and window: count, latest kind and message', async () => {
    await state.recordLoadFailure(failure(T0));
    await state.recordLoadFailure(failure(T0 + 1000));
    state.recordLoadFailureSync(failure(T0 + 2000, { kind: 'invalid model artifact', message: 'not a linear model' }));
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

  it('are added to a serving database created before they existed', async () => {
    const old = join(dir, 'old.db');
    const db = new Database(old);
    db.exec(
      'CREATE TABLE routing (model_id TEXT PRIMARY KEY, revision INTEGER NOT NULL, spec TEXT NOT NULL, updated_at TEXT NOT NULL); PRAGMA user_version = 1;',
    );
    db.close();
    const reopened = new SqliteServingState({ path: old });
    try {
      await reopened.recordLoadFailure(failure(T0));
      expect(await reopened.readLoadFailures({ modelId: 'sea', version: 2, fromMs: T0, toMs: T0 + 1 })).toMatchObject({
        count: 1,
      });
    } finally {
      await reopened.close();
    }
  });
});
