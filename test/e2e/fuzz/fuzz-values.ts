import { createRng, type Rng } from '../../../src/stats/random.js';

/**
 * Deterministic hostile inputs for the fuzz corpus: one seed, the same corpus on every run.
 * An input is either plain junk (a wrong type, null, a huge number or string, nested
 * nonsense) or a valid example with one to three of its fields broken, so that most inputs
 * get past the first check and probe the fields behind it.
 */
export class FuzzValues {
  private readonly rng: Rng;
  constructor(seed: number) {
    this.rng = createRng(seed);
  }

  int(n: number): number {
    return this.rng.nextInt(n);
  }
  chance(p: number): boolean {
    return this.rng.nextFloat() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.rng.nextInt(xs.length)]!;
  }

  /** Numbers a schema must bound: huge, tiny, negative, fractional where ints are expected. */
  hugeNumber(): number {
    return this.pick([
      1e308,
      -1e308,
      Number.MAX_SAFE_INTEGER + 2,
      -Number.MAX_SAFE_INTEGER,
      5e-324,
      -0.5,
      2 ** 53,
      1e21,
      -1,
      0.1 + 0.2,
      4_294_967_296,
    ]);
  }

  /** Strings past any sensible limit (kept under the 2 MB payload limit of a Temporal signal). */
  hugeString(): string {
    return this.pick(['x', 'é', '🦀', '\u0000']).repeat(this.pick([5_000, 40_000, 150_000]));
  }

  /** Short strings that look like something else: ids of other workflows, paths, markup, blanks. */
  oddString(): string {
    return this.pick([
      '',
      ' ',
      '\t\n',
      'null',
      'undefined',
      '0',
      '-1',
      'NaN',
      '1e999',
      '../../../etc/passwd',
      '<script>alert(1)</script>',
      "'; DROP TABLE routing; --",
      'flywheel:other-model',
      'flywheel:other-model:cycle:1',
      'flywheel:other-model:cycle:1:rollout',
      '00000000-0000-0000-0000-000000000000',
      '%00%2e%2e',
      '${jndi:ldap://x}',
      '2026-13-45T99:99:99Z',
      '🦀'.repeat(3),
      'A'.repeat(257),
    ]);
  }

  /** Any JSON value of the wrong kind, nested up to `depth` levels. */
  junk(depth = 2): unknown {
    switch (this.int(depth > 0 ? 9 : 6)) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.hugeNumber();
      case 3:
        return this.int(1000) - 500;
      case 4:
        return this.chance(0.3) ? this.hugeString() : this.oddString();
      case 5:
        return this.chance(0.5) ? [] : {};
      case 6:
        return Array.from({ length: 1 + this.int(4) }, () => this.junk(depth - 1));
      case 7:
        return this.unknownFields({}, depth - 1);
      default:
        // Deep nesting: parsers that recurse must not fall over.
        return Array.from({ length: 60 }).reduce<unknown>((inner) => [inner], this.junk(0));
    }
  }

  /** Adds fields nobody asked for (including prototype-looking keys). */
  unknownFields(base: Record<string, unknown>, depth = 1): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (let i = 0, n = 1 + this.int(3); i < n; i++) {
      const key = this.pick([
        '__proto__',
        'constructor',
        'prototype',
        'extra',
        '',
        ' ',
        'x'.repeat(300),
        '$where',
        'cycle',
        'championVersion',
      ]);
      Object.defineProperty(out, key, {
        value: this.junk(depth),
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
    return out;
  }

  /**
   * A valid example with 1–3 of its leaves (or whole sub-objects) replaced by junk, removed,
   * or joined by unknown fields. The result is usually invalid; when it is still valid the
   * system must simply act on it.
   */
  mutate(valid: unknown): unknown {
    let value = structuredClone(valid);
    for (let i = 0, n = 1 + this.int(3); i < n; i++) value = this.mutateOnce(value);
    return value;
  }

  /** Half junk, half broken examples: the corpus entry for one input slot. */
  input(valid: unknown): unknown {
    return this.chance(0.3) ? this.junk() : this.mutate(valid);
  }

  private mutateOnce(value: unknown): unknown {
    const paths = leafPaths(value);
    if (paths.length === 0 || this.chance(0.1)) return this.junk();
    const path = this.pick(paths);
    const op = this.int(4);
    if (op === 3 && isObject(value)) return this.unknownFields(value as Record<string, unknown>);
    return setAt(value, path, op === 0 ? undefined : op === 1 ? this.junk(1) : this.typeSwap(getAt(value, path)));
  }

  /** The same meaning in the wrong type: "5" for 5, 5 for "5", [x] for x, a huge number for a number. */
  private typeSwap(v: unknown): unknown {
    if (typeof v === 'number') return this.pick([String(v), this.hugeNumber(), -v, v + 0.5, [v]]);
    if (typeof v === 'string')
      return this.pick([Number(v.length), [v], { value: v }, this.hugeString(), this.oddString(), v.toUpperCase()]);
    if (typeof v === 'boolean') return this.pick(['true', 1, null]);
    if (Array.isArray(v)) return this.pick([{ ...v }, v.length, [...v, ...v, this.junk(0)]]);
    return this.junk(1);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Paths to every value inside `v` (objects and arrays included, not the root). */
function leafPaths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.flatMap((x, i) => [[...prefix, i], ...leafPaths(x, [...prefix, i])]);
  if (isObject(v)) return Object.entries(v).flatMap(([k, x]) => [[...prefix, k], ...leafPaths(x, [...prefix, k])]);
  return [];
}

function getAt(v: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], v);
}

/** Sets (or with `undefined`, deletes) the value at `path`, in place; returns the root. */
function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path.at(-1)!;
  if (value === undefined && !Array.isArray(parent)) delete parent[key];
  else parent[key] = value ?? null;
  return root;
}
