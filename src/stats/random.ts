import { StatsInputError } from './table.js';

/**
 * A small seeded PRNG for reproducible statistics (bootstrap resampling) and synthetic
 * data. xoshiro128** (Blackman & Vigna) with its 128-bit state filled by a splitmix32
 * sequence, so that nearby seeds (1, 2, 3 …) still give unrelated streams. Not for
 * cryptography. The same seed gives the same stream on every platform: only 32-bit
 * integer arithmetic (Math.imul, shifts) is used.
 */
export interface Rng {
  /** The seed the generator was created with. */
  readonly seed: number;
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** Uniform integer in [0, n), without modulo bias. */
  nextInt(n: number): number;
  /**
   * Fills `out` with uniform integers in [0, n): exactly the values, and the stream
   * position, of `out.length` calls to nextInt(n), several times faster (the bootstrap
   * draws n·iterations of them).
   */
  fillInts(n: number, out: Uint32Array): void;
  /** Standard normal deviate (Box–Muller; the second value of each pair is kept). */
  nextNormal(): number;
}

const TWO_32 = 4294967296;
const TWO_MINUS_32 = 1 / TWO_32;

function splitmix32(start: number): () => number {
  let state = start >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/**
 * Creates a xoshiro128** generator. `seed` may be any safe integer (negative too); its
 * low and high 32-bit halves both feed the state.
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) {
    throw new StatsInputError(`seed must be a safe integer, got ${String(seed)}`);
  }
  const low = seed >>> 0;
  const high = Math.floor(seed / TWO_32) >>> 0;
  const mix = splitmix32(low ^ Math.imul(high, 0x632be5ab));
  const s = new Uint32Array([mix(), mix(), mix(), mix()]);
  // An all-zero state would emit zeros forever; splitmix32 cannot produce four zeros
  // in a row, but keep the guard explicit.
  if ((s[0]! | s[1]! | s[2]! | s[3]!) === 0) s[0] = 1;
  let spareNormal: number | null = null;

  const nextUint32 = (): number => {
    const s0 = s[0]!,
      s1 = s[1]!,
      s2 = s[2]!,
      s3 = s[3]!;
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    const n2 = (s2 ^ s0) >>> 0;
    const n3 = (s3 ^ s1) >>> 0;
    s[1] = s1 ^ n2;
    s[0] = s0 ^ n3;
    s[2] = n2 ^ t;
    s[3] = rotl(n3, 11);
    return result;
  };

  const nextFloat = (): number => {
    const a = nextUint32() >>> 5; // 27 bits
    const b = nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / 9007199254740992;
  };

  let cachedBound = -1;
  let cachedReject = 0;
  const setBound = (n: number): void => {
    if (n === cachedBound) return;
    if (!Number.isInteger(n) || n <= 0 || n > TWO_32) {
      throw new StatsInputError(`nextInt bound must be an integer in [1, 2^32], got ${String(n)}`);
    }
    cachedBound = n;
    cachedReject = TWO_32 % n;
  };
  const nextInt = (n: number): number => {
    setBound(n);
    if (n <= 2097152) {
      // Lemire's multiply-and-reject: r·n < 2^53 is exact, the high part is the draw and
      // the low part decides the (rare) rejection that removes the bias.
      for (;;) {
        const product = nextUint32() * n;
        const high = Math.floor(product * TWO_MINUS_32);
        if (product - high * TWO_32 >= cachedReject) return high;
      }
    }
    // Larger bounds: reject the top partial block of 2^32, then reduce modulo n.
    const limit = TWO_32 - cachedReject;
    for (;;) {
      const r = nextUint32();
      if (r < limit) return r % n;
    }
  };

  const fillInts = (n: number, out: Uint32Array): void => {
    setBound(n);
    if (n <= 2097152) fillLemire(n, out);
    else for (let k = 0; k < out.length; k++) out[k] = nextInt(n);
  };

  /**
   * nextUint32 and nextInt's Lemire step inlined with the state in locals: V8 keeps them
   * in registers as int32, where the closure version loads and stores the typed array and
   * boxes on every draw. Same arithmetic, so the same values.
   */
  const fillLemire = (n: number, out: Uint32Array): void => {
    const reject = cachedReject;
    let s0 = s[0]! | 0,
      s1 = s[1]! | 0,
      s2 = s[2]! | 0,
      s3 = s[3]! | 0;
    for (let k = 0; k < out.length; k++) {
      for (;;) {
        const x = Math.imul(s1, 5);
        const r = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        // r·n < 2^53 and the draw is < n ≤ 2^21, so truncation to int32 is the floor.
        const product = r * n;
        const high = (product * TWO_MINUS_32) | 0;
        if (product - high * TWO_32 >= reject) {
          out[k] = high;
          break;
        }
      }
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
  };

  const nextNormal = (): number => {
    if (spareNormal !== null) {
      const z = spareNormal;
      spareNormal = null;
      return z;
    }
    // 1 - u keeps the log argument in (0, 1].
    const radius = Math.sqrt(-2 * Math.log(1 - nextFloat()));
    const angle = 2 * Math.PI * nextFloat();
    spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };

  return { seed, nextUint32, nextFloat, nextInt, fillInts, nextNormal };
}
