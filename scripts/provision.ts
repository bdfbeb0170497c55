/**
 * `npm run provision`: finds or builds the Temporal CLI (dev server), the Java
 * time-skipping test server, Prometheus, Alertmanager, the MLflow server's venv (pip,
 * mlflow pinned) and the full Temporal server + SQL tool (`npm run cluster`) into the cache (~/.cache/ct-flywheel, or CT_FLYWHEEL_CACHE), and finds
 * (or installs from Debian) the PostgreSQL 15 server binaries.
 * `npm test` runs it first so a missing tool fails with a fix, not a stack trace.
 */
import { runMain } from '../src/config/fail-fast.js';
import { provisionAll } from './lib/provision-all.js';

runMain(async () => {
  await provisionAll({ testServer: true, postgres: true });
});
