import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '../../src/local-server/cache-dir.js';
import { findOnPath, isExecutable } from '../../src/local-server/find-on-path.js';
import { ProvisionError } from '../../src/local-server/provision-error.js';
import { say, type ProvisionedTool } from '../../src/local-server/provisioned-tool.js';
import { runWithProgress } from '../../src/local-server/run-with-progress.js';

/**
 * Debian bookworm's Prometheus (2.42, old but real): `apt-get download` of the pinned .deb
 * and `dpkg -x` into the cache take seconds and install nothing system-wide. A pinned
 * `go install` of Prometheus 3.x works too but took 13 min on 2 cores: too slow for every
 * cold CI run. Rules and configs we ship use nothing newer than 2.42 understands.
 */
export const PROMETHEUS_DEB_VERSION = '2.42.0+ds-5+deb12u1';

export interface PrometheusTools extends ProvisionedTool {
  promtool: string;
}

const HOW_TO_FIX =
  'To fix: on Debian/Ubuntu, run `apt-get update` so that `apt-cache policy prometheus` lists ' +
  `${PROMETHEUS_DEB_VERSION} (nothing is installed system-wide: the package is downloaded and unpacked into the cache). ` +
  'Only the Prometheus/Alertmanager e2e test and the rule checks need it.';

export function prometheusDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), `prometheus-${PROMETHEUS_DEB_VERSION}`);
}

/** Finds Prometheus and promtool in the cache, or unpacks the pinned Debian package into it. */
export async function ensurePrometheus(env: NodeJS.ProcessEnv = process.env): Promise<PrometheusTools> {
  const dir = prometheusDir(env);
  const tools = { path: join(dir, 'prometheus'), promtool: join(dir, 'promtool') };
  if (isExecutable(tools.path) && isExecutable(tools.promtool)) return { ...tools, source: 'cache', buildMs: 0 };
  const aptGet = findOnPath('apt-get', env);
  const dpkg = findOnPath('dpkg', env);
  if (!aptGet || !dpkg)
    throw new ProvisionError(
      `No Prometheus in ${dir}, and no \`apt-get\`/\`dpkg\` on PATH to fetch it.\n${HOW_TO_FIX}`,
    );
  const started = Date.now();
  const scratch = join(cacheRoot(env), `.fetch-prometheus-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  say(`fetching Prometheus ${PROMETHEUS_DEB_VERSION} from Debian (apt-get download + dpkg -x into the cache).`);
  await runWithProgress({
    label: 'apt-get download prometheus',
    command: aptGet,
    args: ['download', `prometheus=${PROMETHEUS_DEB_VERSION}`],
    cwd: scratch,
    env,
    everySeconds: 5,
    onFailure: `Downloading the Prometheus package failed.\n${HOW_TO_FIX}`,
  });
  const deb = readdirSync(scratch).find((f) => f.endsWith('.deb'));
  if (!deb) throw new ProvisionError(`apt-get download left no .deb in ${scratch}.\n${HOW_TO_FIX}`);
  await runWithProgress({
    label: 'dpkg -x prometheus',
    command: dpkg,
    args: ['-x', join(scratch, deb), join(scratch, 'root')],
    env,
    onFailure: `Unpacking ${deb} failed.\n${HOW_TO_FIX}`,
  });
  mkdirSync(dir, { recursive: true });
  // prometheus moves last: its presence with promtool marks the cache entry complete.
  renameSync(join(scratch, 'root', 'usr', 'bin', 'promtool'), tools.promtool);
  renameSync(join(scratch, 'root', 'usr', 'bin', 'prometheus'), tools.path);
  rmSync(scratch, { recursive: true, force: true });
  return { ...tools, source: 'built', buildMs: Date.now() - started };
}
