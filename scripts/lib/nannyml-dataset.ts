import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, NANNYML_VERSION, nannymlCarLoanCsvPath, nannymlDir } from '../../src/local-server/cache-dir.js';
import { findOnPath } from '../../src/local-server/find-on-path.js';
import { ProvisionError } from '../../src/local-server/provision-error.js';
import { say, type ProvisionedTool } from '../../src/local-server/provisioned-tool.js';
import { runWithProgress } from '../../src/local-server/run-with-progress.js';

const REQUIREMENTS = fileURLToPath(new URL('./nannyml-wheel-requirements.txt', import.meta.url));
const EXPORT_SCRIPT = fileURLToPath(new URL('./nannyml_car_loan_csv.py', import.meta.url));

/**
 * NannyML's synthetic car-loan dataset as a CSV in the cache (`nannymlCarLoanCsvPath`), the
 * backtest's real-dataset stream. The data ship inside the nannyml wheel: pip downloads that
 * one wheel from PyPI, pinned by hash and without its dependencies
 * (nannyml-wheel-requirements.txt), and nannyml_car_loan_csv.py joins its three CSV files
 * with the standard library. (Until 2026-12-01 a venv got nannyml and all its dependencies,
 * 2.2 GB and minutes on a cold machine, to write the same bytes.) Under a `flock`, so
 * parallel callers build it once; the CSV is written last (atomically).
 */
export async function ensureNannymlDataset(env: NodeJS.ProcessEnv = process.env): Promise<ProvisionedTool> {
  const csv = nannymlCarLoanCsvPath(env);
  if (existsSync(csv)) return { path: csv, source: 'cache', buildMs: 0 };
  const python3 = findOnPath('python3', env);
  const flock = findOnPath('flock', env);
  if (!python3 || !flock)
    throw new ProvisionError(
      `No NannyML car-loan CSV at ${csv} and no ${!python3 ? '`python3` (with pip)' : '`flock` (util-linux)'} on PATH to export it.`,
    );
  const started = Date.now();
  const dir = nannymlDir(env);
  mkdirSync(cacheRoot(env), { recursive: true });
  say(
    `downloading the nannyml==${NANNYML_VERSION} wheel (23 MB, pinned by hash) from PyPI into ${dir} (first run only),`,
  );
  say('  then writing its bundled synthetic car-loan dataset (100,000 rows) as one CSV; later runs reuse the cache.');
  const script = [
    'set -e',
    '[ -f "$CSV" ] && exit 0',
    '"$PYTHON3" -m pip download --no-deps --only-binary :all: --require-hashes --progress-bar off -r "$REQUIREMENTS" -d "$DIR/wheel"',
    '"$PYTHON3" "$EXPORT_SCRIPT" "$DIR/wheel/nannyml-$VERSION-py3-none-any.whl" "$CSV"',
  ].join('\n');
  await runWithProgress({
    label: `pip download nannyml==${NANNYML_VERSION} + CSV export`,
    command: flock,
    args: [join(cacheRoot(env), `.nannyml-${NANNYML_VERSION}.lock`), 'sh', '-c', script],
    env: { ...env, DIR: dir, CSV: csv, PYTHON3: python3, REQUIREMENTS, EXPORT_SCRIPT, VERSION: NANNYML_VERSION },
    onFailure:
      'Exporting the NannyML dataset failed; it needs PyPI to be reachable for the nannyml wheel (pinned by hash in scripts/lib/nannyml-wheel-requirements.txt).',
  });
  return { path: csv, source: 'built', buildMs: Date.now() - started };
}
