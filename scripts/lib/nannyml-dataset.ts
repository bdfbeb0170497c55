import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, NANNYML_VERSION, nannymlCarLoanCsvPath, nannymlDir } from '../../src/local-server/cache-dir.js';
import { findOnPath } from '../../src/local-server/find-on-path.js';
import { ProvisionError } from '../../src/local-server/provision-error.js';
import { say, type ProvisionedTool } from '../../src/local-server/provisioned-tool.js';
import { runWithProgress } from '../../src/local-server/run-with-progress.js';

const REQUIREMENTS = fileURLToPath(new URL('../golden/requirements-nannyml.txt', import.meta.url));
const EXPORT_SCRIPT = fileURLToPath(new URL('../golden/nannyml_cbpe.py', import.meta.url));

/**
 * NannyML's synthetic car-loan dataset as a CSV in the cache (`nannymlCarLoanCsvPath`), the
 * backtest's real-dataset stream. The data ship inside the nannyml wheel: a venv in the cache
 * gets the pinned requirements from PyPI (scripts/golden/requirements-nannyml.txt), then
 * scripts/golden/nannyml_cbpe.py --export-csv writes the file. Nothing else is downloaded.
 * Under a `flock`, so parallel callers build it once; the CSV is written last (atomically).
 */
export async function ensureNannymlDataset(env: NodeJS.ProcessEnv = process.env): Promise<ProvisionedTool> {
  const csv = nannymlCarLoanCsvPath(env);
  if (existsSync(csv)) return { path: csv, source: 'cache', buildMs: 0 };
  const python3 = findOnPath('python3', env);
  const flock = findOnPath('flock', env);
  if (!python3 || !flock)
    throw new ProvisionError(
      `No NannyML car-loan CSV at ${csv} and no ${!python3 ? '`python3` (>= 3.11 with venv)' : '`flock` (util-linux)'} on PATH to export it.`,
    );
  const started = Date.now();
  const dir = nannymlDir(env);
  mkdirSync(cacheRoot(env), { recursive: true });
  say(`installing nannyml==${NANNYML_VERSION} (pinned requirements) from PyPI into ${dir} (first run only),`);
  say('  then exporting its bundled synthetic car-loan dataset (100,000 rows) to CSV; later runs reuse the cache.');
  const script = [
    'set -e',
    '[ -f "$CSV" ] && exit 0',
    '[ -x "$DIR/venv/bin/python" ] || "$PYTHON3" -m venv "$DIR/venv"',
    '"$DIR/venv/bin/python" -m pip install --progress-bar off -r "$REQUIREMENTS"',
    'NML_DISABLE_USAGE_LOGGING=1 "$DIR/venv/bin/python" "$EXPORT_SCRIPT" --export-csv "$CSV"',
  ].join('\n');
  await runWithProgress({
    label: `pip install nannyml==${NANNYML_VERSION} + CSV export`,
    command: flock,
    args: [join(cacheRoot(env), `.nannyml-${NANNYML_VERSION}.lock`), 'sh', '-c', script],
    env: { ...env, DIR: dir, CSV: csv, PYTHON3: python3, REQUIREMENTS, EXPORT_SCRIPT },
    onFailure:
      'Exporting the NannyML dataset failed; it needs PyPI to be reachable for the pinned nannyml requirements.',
  });
  return { path: csv, source: 'built', buildMs: Date.now() - started };
}
