import { join } from 'node:path';
import { cacheRoot } from '../../src/local-server/cache-dir.js';
import { isExecutable } from '../../src/local-server/find-on-path.js';
import { goInstallInto, requireGo } from '../../src/local-server/go-install.js';
import type { ProvisionedTool } from '../../src/local-server/provisioned-tool.js';

/**
 * Pinned: v0.31.1 is the newest tag `go install` can build (from v0.32.1 on the module zip
 * lacks the UI's app/dist and the build fails).
 */
export const ALERTMANAGER_VERSION = 'v0.31.1';
const MODULE = 'github.com/prometheus/alertmanager';
const MIN_GO_MINOR = 24;

/** Alertmanager and its `amtool`: both come from one module and live in one cache folder. */
export interface AlertmanagerTools extends ProvisionedTool {
  amtool: string;
}

const HOW_TO_FIX =
  'To fix: install Go >= 1.' +
  `${MIN_GO_MINOR} and put \`go\` on PATH; the first \`npm test\` then builds Alertmanager ${ALERTMANAGER_VERSION} ` +
  'and amtool into the cache (about 2 min on 2 cores). Only the Prometheus/Alertmanager e2e test and the config checks need them.';

export function alertmanagerDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), `alertmanager-${ALERTMANAGER_VERSION}`);
}

/**
 * Finds Alertmanager and amtool in the cache, or builds them with a pinned `go install`
 * through the Go module proxy. The version is stamped with -ldflags as a release build
 * does (a plain `go install` reports an empty version).
 */
export async function ensureAlertmanager(env: NodeJS.ProcessEnv = process.env): Promise<AlertmanagerTools> {
  const dir = alertmanagerDir(env);
  const tools = { path: join(dir, 'alertmanager'), amtool: join(dir, 'amtool') };
  if (isExecutable(tools.path) && isExecutable(tools.amtool)) return { ...tools, source: 'cache', buildMs: 0 };
  const go = await requireGo(env, {
    minMinor: MIN_GO_MINOR,
    what: `Alertmanager ${ALERTMANAGER_VERSION}`,
    missing: `No Alertmanager in ${dir}`,
    howToFix: HOW_TO_FIX,
  });
  const buildMs = await goInstallInto({
    go,
    env,
    what: `Alertmanager ${ALERTMANAGER_VERSION} + amtool`,
    modules: [`${MODULE}/cmd/alertmanager@${ALERTMANAGER_VERSION}`, `${MODULE}/cmd/amtool@${ALERTMANAGER_VERSION}`],
    binaries: ['alertmanager', 'amtool'],
    targetDir: dir,
    ldflags: `-X github.com/prometheus/common/version.Version=${ALERTMANAGER_VERSION.slice(1)}`,
    expected: 'about 2 min on 2 cores',
    howToFix: HOW_TO_FIX,
  });
  return { ...tools, source: 'built', buildMs };
}
