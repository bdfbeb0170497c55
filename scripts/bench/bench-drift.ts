/**
 * `npm run bench:drift` — drift report on 1,000,000 rows × (20 numeric + 5 categorical).
 * Writes the seeded data once (.data/bench/drift/), times building the reference profile and
 * the drift report against it, checks the verdicts against the known shifts, then runs
 * scripts/bench/compare_drift_scipy_evidently.py on the same files for scipy/Evidently times,
 * ratios and the per-column verdict comparison.
 *
 * Both compatibility modes are timed ('default' and 'evidently') and compared with Evidently.
 *
 * Flags: --rows N (default 1000000), --repeat N (report runs, default 5), --no-python.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import {
  buildReferenceProfile,
  parseReferenceProfile,
  serializeReferenceProfile,
} from '../../src/stats/drift/reference-profile.js';
import { driftReport, type DriftReport } from '../../src/stats/drift/drift-report.js';
import type { DriftCompatibility } from '../../src/stats/drift/drift-compatibility.js';
import { BENCH_DIR, ensureBenchData, headRows, loadBenchTable } from './bench-drift-data.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const rows = arg('rows', 1_000_000);
const repeat = arg('repeat', 5);
const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;
const fmt = (s: number): string => `${s.toFixed(3)} s`;

console.log(
  `bench:drift — ${rows.toLocaleString('en')} rows × 25 columns, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
let t0 = process.hrtime.bigint();
const meta = ensureBenchData(rows);
const reference = loadBenchTable(meta, 'reference');
const current = loadBenchTable(meta, 'current');
console.log(`data ready and loaded in ${fmt(seconds(t0))} (${BENCH_DIR}); shifted columns: ${meta.shifted.join(', ')}`);

t0 = process.hrtime.bigint();
const built = buildReferenceProfile(reference);
const buildSeconds = seconds(t0);
const json = serializeReferenceProfile(built);
const profile = parseReferenceProfile(json);
console.log(
  `reference profile: ${fmt(buildSeconds)} (${Math.round(rows / buildSeconds).toLocaleString('en')} rows/s), ${(json.length / 1024).toFixed(1)} KiB JSON`,
);

/** Median of `repeat` drift reports against the prebuilt profile, in one compatibility mode. */
function timeReport(compatibility: DriftCompatibility): { report: DriftReport; median: number } {
  const times: number[] = [];
  let report = driftReport(profile, current, { compatibility });
  for (let i = 0; i < repeat; i++) {
    t0 = process.hrtime.bigint();
    report = driftReport(profile, current, { compatibility });
    times.push(seconds(t0));
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `drift report vs prebuilt profile, compatibility '${compatibility}': median ${fmt(median)}, best ${fmt(sorted[0]!)}, worst ${fmt(sorted[sorted.length - 1]!)} over ${repeat} runs ` +
      `(${Math.round(rows / median).toLocaleString('en')} rows/s, ${Math.round((rows * 25) / median).toLocaleString('en')} cells/s); target ≤ 2 s: ${median <= 2 ? 'met' : 'MISSED'}`,
  );
  return { report, median };
}
const { report, median } = timeReport('default');
const evidentlyMode = timeReport('evidently');
const peakRssMiB = process.resourceUsage().maxRSS / 1024;
console.log(`peak RSS (this process, data of both sides in memory): ${peakRssMiB.toFixed(0)} MiB`);

console.log('\ncolumn   method              statistic  drifted  (compatibility default; ± errorBound where sketched)');
for (const c of report.columns) {
  const bound = c.errorBound !== undefined ? ` ± ${c.errorBound.toExponential(1)}` : '';
  console.log(
    `${c.column.padEnd(8)} ${c.method.padEnd(19)} ${c.statistic.toFixed(5).padStart(9)}  ${c.drifted ? 'DRIFT' : '-'}${c.borderline ? ' (borderline)' : ''}${bound}`,
  );
}
const expected = [...meta.shifted].sort().join(',');
const flagged = [...report.driftedColumns].sort().join(',');
console.log(
  `\nflags exactly the shifted columns: ${flagged === expected ? 'yes' : `NO (flagged ${flagged}; shifted ${expected})`}`,
);
console.log(`drift share ${report.driftShare.toFixed(2)}, dataset drift: ${report.datasetDrift}`);

// Small-reference scenario (first 1000 rows of each side): Evidently's test regime
// (KS, chi-square, z-test), compared per column by the Python script too.
const SMALL = 1000;
const smallProfile = buildReferenceProfile(headRows(reference, SMALL));
const small = driftReport(smallProfile, headRows(current, SMALL));
const smallEvidently = driftReport(smallProfile, headRows(current, SMALL), { compatibility: 'evidently' });
console.log(
  `small reference (${SMALL} rows): drifted ${small.driftedColumns.join(', ')}; under 'evidently': ${smallEvidently.driftedColumns.join(', ')}`,
);
const columnsOf = (r: DriftReport) =>
  r.columns.map((c) => ({
    column: c.column,
    method: c.method,
    statistic: c.statistic,
    pValue: c.pValue,
    drifted: c.drifted,
    borderline: c.borderline,
    errorBound: c.errorBound,
  }));

writeFileSync(
  join(BENCH_DIR, 'ours.json'),
  JSON.stringify({
    rows,
    profileSeconds: buildSeconds,
    reportSeconds: median,
    columns: columnsOf(report),
    small: { rows: SMALL, columns: columnsOf(small) },
    evidently: {
      reportSeconds: evidentlyMode.median,
      columns: columnsOf(evidentlyMode.report),
      small: { rows: SMALL, columns: columnsOf(smallEvidently) },
    },
  }),
);

if (!process.argv.includes('--no-python')) {
  const venv = spawnSync(
    'bash',
    ['examples/python-common/ensure-venv.sh', 'scripts/bench/requirements-bench-drift.txt'],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const python = venv.stdout.trim().split('\n').pop();
  if (venv.status !== 0 || !python) {
    console.error('could not prepare the Python virtualenv; skipping the scipy/Evidently comparison');
    process.exitCode = 1;
  } else {
    const r = spawnSync(python, ['scripts/bench/compare_drift_scipy_evidently.py', BENCH_DIR], { stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = r.status ?? 1;
  }
}
if (flagged !== expected) process.exitCode = 1;
