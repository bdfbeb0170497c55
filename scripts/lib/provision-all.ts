import { MLFLOW_VERSION } from '../../src/local-server/cache-dir.js';
import { ProvisionError } from '../../src/local-server/provision-error.js';
import { ensureTemporalCli } from '../../src/local-server/temporal-cli.js';
import { ensureMlflow } from './mlflow-venv.js';
import { ensureTestServer } from './test-server.js';
import { describeTool, say, type ProvisionedTool } from '../../src/local-server/provisioned-tool.js';

export interface ProvisionedServers {
  temporalCli: ProvisionedTool;
  testServer?: ProvisionedTool;
  /** Python of the pinned MLflow server (the MLflow registry's tests and `npm run cluster`). */
  mlflow?: ProvisionedTool;
}

/**
 * Makes sure the servers the project needs exist (finding or building them) and prints
 * one line per tool plus the total provisioning time. `testServer: false` skips the
 * Java time-skipping server (`npm run server` only needs the CLI); `mlflow` (default: as
 * `testServer`) the MLflow venv the MLflow registry's tests run against.
 */
export async function provisionAll(opts: { testServer: boolean; mlflow?: boolean }): Promise<ProvisionedServers> {
  const started = Date.now();
  // Try every tool before failing, so one message lists everything that is missing.
  const problems: string[] = [];
  const attempt = async <T>(fn: () => Promise<T>): Promise<T | undefined> =>
    fn().catch((err: unknown) => {
      if (!(err instanceof ProvisionError)) throw err;
      problems.push(err.message);
      return undefined;
    });
  const temporalCli = await attempt(ensureTemporalCli);
  if (temporalCli) say(describeTool('Temporal CLI', temporalCli));
  const testServer = opts.testServer ? await attempt(ensureTestServer) : undefined;
  if (testServer) say(describeTool('time-skipping test server', testServer));
  const mlflow = (opts.mlflow ?? opts.testServer) ? await attempt(ensureMlflow) : undefined;
  if (mlflow) say(describeTool(`MLflow ${MLFLOW_VERSION} (python)`, mlflow));
  if (!temporalCli || problems.length) throw new ProvisionError(problems.join('\n\n'));
  const built = [temporalCli, testServer, mlflow].filter((t) => t?.source === 'built').length;
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  say(`provisioning took ${secs} s (${built === 0 ? 'nothing to build, cache warm' : `${built} tool(s) built`}).`);
  return { temporalCli, testServer, mlflow };
}
