import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src/stats/random.js';
import { StatsInputError } from '../../../../src/stats/table.js';

describe('Rng.fillInts', () => {
  // The bootstrap relies on this: the fast path must not change any seeded result.
  it.each([1, 2, 7, 1000, 100_000, 2_097_152, 2_097_153, 3_000_000_000, 4_294_967_296])(
    'gives exactly the values and stream position of repeated nextInt(%d)',
    (bound) => {
      for (const seed of [1, -5, 2 ** 40 + 3]) {
        const fast = createRng(seed),
          slow = createRng(seed);
        const out = new Uint32Array(3000);
        fast.nextInt(bound === 7 ? 5 : 7); // a different cached bound before the fill
        slow.nextInt(bound === 7 ? 5 : 7);
        fast.fillInts(bound, out);
        expect(Array.from(out)).toEqual(Array.from({ length: out.length }, () => slow.nextInt(bound)));
        expect(fast.nextUint32()).toBe(slow.nextUint32());
        expect(fast.nextFloat()).toBe(slow.nextFloat());
      }
    },
  );

  it('refuses bounds nextInt refuses, even for an empty buffer', () => {
    const r = createRng(1);
    expect(() => r.fillInts(0, new Uint32Array(0))).toThrow(StatsInputError);
    expect(() => r.fillInts(2.5, new Uint32Array(4))).toThrow(StatsInputError);
    expect(() => r.fillInts(2 ** 32 + 1, new Uint32Array(4))).toThrow(StatsInputError);
  });
});
