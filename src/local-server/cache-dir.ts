import { homedir } from 'node:os';
import { join } from 'node:path';

/** Pinned versions: bump here, the cache layout follows. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEST_SERVER_VERSION = '1.38.0';
/** The full Temporal server and its SQL schema tool (`npm run cluster`). */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
/** 3.18.0 is listed on PyPI but its mlflow-skinny cannot be fetched here (docs: REAL-SYSTEMS). */
export const MLFLOW_VERSION = '3.17.2';

/**
 * Root of everything provisioned outside the repo, shared by all clones so a fresh
 * clone reuses an earlier build. Override with CT_FLYWHEEL_CACHE.
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.CT_FLYWHEEL_CACHE || join(homedir(), '.cache', 'ct-flywheel');
}

export function temporalCliDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), `temporal-cli-${TEMPORAL_CLI_VERSION}`);
}

export function testServerDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), `temporal-test-server-${TEST_SERVER_VERSION}`);
}

export function temporalServerDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
}

/** The Python virtualenv holding the pinned MLflow server (scripts/lib/mlflow-venv.ts). */
export function mlflowVenvDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), `mlflow-${MLFLOW_VERSION}`);
}

/** NannyML, whose wheel bundles the synthetic car-loan dataset the backtest replays (scripts/lib/nannyml-dataset.ts). */
export const NANNYML_VERSION = '0.13.1';

export function nannymlDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), `nannyml-${NANNYML_VERSION}`);
}

/** NannyML's synthetic car-loan dataset as one CSV with an ISO `timestamp` column (100,000 rows, about 12 MB). */
export function nannymlCarLoanCsvPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(nannymlDir(env), 'synthetic-car-loan.csv');
}
