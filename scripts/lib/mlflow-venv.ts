import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, MLFLOW_VERSION, mlflowVenvDir } from '../../src/local-server/cache-dir.js';
import { findOnPath } from '../../src/local-server/find-on-path.js';
import { ProvisionError } from '../../src/local-server/provision-error.js';
import { say, toolFromEnv, type ProvisionedTool } from '../../src/local-server/provisioned-tool.js';
import { runWithProgress } from '../../src/local-server/run-with-progress.js';

/** Marks a finished install: written last, so an interrupted pip never leaves a cache hit. */
const COMPLETE = '.complete';

const HOW_TO_FIX =
  'To fix, do one of:\n' +
  '  - install Python >= 3.10 with the venv module (e.g. `apt-get install python3 python3-venv`) and put `python3` on PATH; ' +
  `the first run then installs mlflow==${MLFLOW_VERSION} from PyPI into the cache (about 2.5 min, 850 MB), or\n` +
  `  - set CT_MLFLOW_PYTHON=/path/to/python of an environment with mlflow==${MLFLOW_VERSION} installed.`;

/**
 * Finds the Python that runs the pinned MLflow server (`python -m mlflow server`):
 * CT_MLFLOW_PYTHON → the cache → a new virtualenv in the cache with `pip install
 * mlflow==<pinned>` from PyPI. The venv is built in place (venvs are not relocatable)
 * under a `flock`, so parallel test files or scripts never install into it twice.
 */
export async function ensureMlflow(env: NodeJS.ProcessEnv = process.env): Promise<ProvisionedTool> {
  const fromEnv = toolFromEnv('CT_MLFLOW_PYTHON', env);
  if (fromEnv) return fromEnv;
  const dir = mlflowVenvDir(env);
  const python = join(dir, 'bin', 'python');
  if (existsSync(join(dir, COMPLETE))) return { path: python, source: 'cache', buildMs: 0 };
  return installWithPip(env, dir, python);
}

async function installWithPip(env: NodeJS.ProcessEnv, dir: string, python: string): Promise<ProvisionedTool> {
  const python3 = findOnPath('python3', env);
  const flock = findOnPath('flock', env);
  if (!python3 || !flock)
    throw new ProvisionError(
      `No MLflow ${MLFLOW_VERSION} in ${dir} and no ${!python3 ? '`python3`' : '`flock` (util-linux)'} on PATH to install it.\n${HOW_TO_FIX}`,
    );
  const started = Date.now();
  mkdirSync(cacheRoot(env), { recursive: true });
  say(`installing mlflow==${MLFLOW_VERSION} from PyPI into ${dir} with ${python3} (first run only).`);
  say('  it takes about 2.5 min on 2 cores and makes an 850 MB venv; later runs reuse the cache.');
  // One shell step under the lock: whoever waited finds the finished venv and does nothing.
  const script = [
    'set -e',
    '[ -f "$VENV/$COMPLETE" ] && exit 0',
    'rm -rf "$VENV"',
    '"$PYTHON3" -m venv "$VENV"',
    '"$VENV/bin/python" -m pip install --progress-bar off "mlflow==$MLFLOW_VERSION"',
    '"$VENV/bin/python" -c "import mlflow, sys; sys.exit(mlflow.__version__ != \\"$MLFLOW_VERSION\\")"',
    'touch "$VENV/$COMPLETE"',
  ].join('\n');
  await runWithProgress({
    label: `pip install mlflow==${MLFLOW_VERSION}`,
    command: flock,
    args: [join(cacheRoot(env), `.mlflow-${MLFLOW_VERSION}.lock`), 'sh', '-c', script],
    env: { ...env, VENV: dir, COMPLETE, PYTHON3: python3, MLFLOW_VERSION },
    onFailure: `Installing MLflow failed; it needs PyPI to be reachable.\n${HOW_TO_FIX}`,
  });
  return { path: python, source: 'built', buildMs: Date.now() - started };
}
