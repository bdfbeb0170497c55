/**
 * Synthetic benchmark data for the drift benchmark, written once to .data/bench/drift/ as raw
 * little-endian files that both this TypeScript bench and the Python comparison read:
 * `<side>/<numeric>.f64` (float64, NaN = missing) and `<side>/<categorical>.u8` (category
 * codes, 255 = missing), described by meta.json. Seeded, so every run sees the same data.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { categorical, numeric, type Column, type Table } from '../../src/stats/table.js';
import { createRng } from '../../src/stats/random.js';

export const BENCH_DIR = join(process.cwd(), '.data', 'bench', 'drift');
const MISSING_CODE = 255;

type Rng = () => number;
const normal = (r: Rng): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

/** A numeric column: generator for reference and for current (differs only if shifted). */
interface NumericSpec {
  name: string;
  ref: (r: Rng) => number;
  cur?: (r: Rng) => number;
  missingRate?: number;
}
interface CategoricalSpec {
  name: string;
  categories: string[];
  ref: number[];
  cur?: number[];
}

const N = (m: number, s: number) => (r: Rng) => m + s * normal(r);
const LOGN =
  (s: number, k = 1) =>
  (r: Rng) =>
    k * Math.exp(0.75 * normal(r)) * s;
const EXP = (mean: number) => (r: Rng) => -mean * Math.log(1 - r());
const UNI = (lo: number, hi: number) => (r: Rng) => lo + (hi - lo) * r();
const BIMODAL = (r: Rng) => (r() < 0.5 ? -2 : 2) + normal(r);
const COUNTS = (r: Rng) => Math.floor(50 + 5 * normal(r));

const NUMERIC: NumericSpec[] = [
  { name: 'num_00', ref: N(0, 1), cur: N(0.5, 1) }, // mean shift 0.5σ
  { name: 'num_01', ref: N(10, 3) },
  { name: 'num_02', ref: LOGN(1), cur: LOGN(1, 1.5) }, // scale ×1.5
  { name: 'num_03', ref: UNI(0, 100) },
  { name: 'num_04', ref: EXP(1), cur: EXP(1.6) }, // mean 1 → 1.6
  { name: 'num_05', ref: BIMODAL },
  { name: 'num_06', ref: COUNTS },
  { name: 'num_07', ref: N(0, 1), cur: N(0.3, 1) }, // mean shift 0.3σ
  { name: 'num_08', ref: LOGN(2) },
  { name: 'num_09', ref: N(-5, 0.5), missingRate: 0.01 }, // 1 % missing, no shift
  { name: 'num_10', ref: EXP(3) },
  { name: 'num_11', ref: UNI(-1, 1) },
  { name: 'num_12', ref: N(0, 1), cur: N(0, 2) }, // variance ×4
  { name: 'num_13', ref: BIMODAL },
  { name: 'num_14', ref: COUNTS },
  { name: 'num_15', ref: N(100, 15) },
  { name: 'num_16', ref: LOGN(0.5) },
  { name: 'num_17', ref: EXP(0.2) },
  { name: 'num_18', ref: UNI(5, 6) },
  { name: 'num_19', ref: N(1, 0.1) },
];
const letters = (k: number, p: string) => Array.from({ length: k }, (_, i) => `${p}${i}`);
const zipf = (k: number) => Array.from({ length: k }, (_, i) => 1 / (i + 1));
const CATEGORICAL: CategoricalSpec[] = [
  { name: 'cat_0', categories: ['red', 'green', 'blue'], ref: [0.5, 0.3, 0.2], cur: [0.2, 0.3, 0.5] },
  { name: 'cat_1', categories: letters(10, 'city_'), ref: new Array<number>(10).fill(1) },
  { name: 'cat_2', categories: ['no', 'yes'], ref: [0.9, 0.1], cur: [0.6, 0.4] },
  { name: 'cat_3', categories: letters(50, 'sku_'), ref: zipf(50) },
  // The current window brings a category the reference never saw.
  {
    name: 'cat_4',
    categories: [...letters(5, 'plan_'), 'plan_new'],
    ref: [1, 1, 1, 1, 1, 0],
    cur: [0.17, 0.17, 0.17, 0.17, 0.17, 0.15],
  },
];

/** Which generator wrote the files: data written by an earlier one is regenerated. */
const GENERATOR = 'createRng (xoshiro128**)';

export interface BenchMeta {
  rows: number;
  seed: number;
  generator: string;
  numeric: string[];
  categorical: Array<{ name: string; categories: string[] }>;
  shifted: string[];
}

function pick(weights: number[], r: Rng): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = r() * total;
  for (let k = 0; k < weights.length; k++) if ((u -= weights[k]!) < 0) return k;
  return weights.length - 1;
}

/** Write reference and current (rows each) unless meta.json already describes them. */
export function ensureBenchData(rows: number, seed = 20261122): BenchMeta {
  const metaPath = join(BENCH_DIR, 'meta.json');
  if (existsSync(metaPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as BenchMeta;
    if (meta.rows === rows && meta.seed === seed && meta.generator === GENERATOR) return meta;
  }
  for (const side of ['reference', 'current'] as const) {
    mkdirSync(join(BENCH_DIR, side), { recursive: true });
    NUMERIC.forEach((spec, c) => {
      const r = createRng(seed + c * 7919 + (side === 'current' ? 1_000_003 : 0)).nextFloat;
      const gen = side === 'current' && spec.cur ? spec.cur : spec.ref;
      const out = new Float64Array(rows);
      for (let i = 0; i < rows; i++) out[i] = spec.missingRate && r() < spec.missingRate ? Number.NaN : gen(r);
      writeFileSync(join(BENCH_DIR, side, `${spec.name}.f64`), new Uint8Array(out.buffer));
    });
    CATEGORICAL.forEach((spec, c) => {
      const r = createRng(seed + 500_009 + c * 7919 + (side === 'current' ? 1_000_003 : 0)).nextFloat;
      const w = side === 'current' && spec.cur ? spec.cur : spec.ref;
      const out = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) out[i] = pick(w, r);
      writeFileSync(join(BENCH_DIR, side, `${spec.name}.u8`), out);
    });
  }
  const meta: BenchMeta = {
    rows,
    seed,
    generator: GENERATOR,
    numeric: NUMERIC.map((s) => s.name),
    categorical: CATEGORICAL.map((s) => ({ name: s.name, categories: s.categories })),
    shifted: [...NUMERIC, ...CATEGORICAL].filter((s) => s.cur).map((s) => s.name),
  };
  writeFileSync(metaPath, JSON.stringify(meta, null, 2));
  return meta;
}

/** Read one side back into the shared columnar Table. */
export function loadBenchTable(meta: BenchMeta, side: 'reference' | 'current'): Table {
  const columns: Record<string, Column> = {};
  for (const name of meta.numeric) {
    const buf = readFileSync(join(BENCH_DIR, side, `${name}.f64`));
    const aligned = buf.byteOffset % 8 === 0 ? buf : Buffer.from(buf);
    columns[name] = numeric(new Float64Array(aligned.buffer, aligned.byteOffset, aligned.length / 8));
  }
  for (const { name, categories } of meta.categorical) {
    const codes = readFileSync(join(BENCH_DIR, side, `${name}.u8`));
    const values = new Array<string | null>(codes.length);
    for (let i = 0; i < codes.length; i++) values[i] = codes[i] === MISSING_CODE ? null : categories[codes[i]!]!;
    columns[name] = categorical(values);
  }
  return { rowCount: meta.rows, columns };
}

/** The first `rows` rows of a table (a small-reference scenario from the same data). */
export function headRows(table: Table, rows: number): Table {
  const columns: Record<string, Column> = {};
  for (const [name, col] of Object.entries(table.columns)) {
    columns[name] =
      col.kind === 'numeric' ? numeric(col.values.subarray(0, rows)) : categorical(col.values.slice(0, rows));
  }
  return { rowCount: Math.min(rows, table.rowCount), columns };
}
