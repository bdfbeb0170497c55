import { describe, expect, it } from 'vitest';
import { newRequestId } from '../../../src/serving/request-ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newRequestId', () => {
  it('is a UUIDv7 carrying the millisecond clock in its first 48 bits', () => {
    const at = Date.UTC(2026, 10, 30, 19, 30, 0, 123);
    const id = newRequestId(at);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it('sorts by time across milliseconds, so index inserts stay at the end of the index', () => {
    const ids = [0, 1, 2, 255, 256, 4096, 1e12, 2 ** 47].map((ms) => newRequestId(ms));
    expect([...ids].sort()).toEqual(ids);
  });

  it('keeps ids of the same millisecond distinct', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newRequestId(1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
  });
});
