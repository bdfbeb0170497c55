import { join } from 'node:path';
import { TEMPORAL_CLI_VERSION, temporalCliDir } from './cache-dir.js';
import { goInstallInto, requireGo } from './go-install.js';
import { findOnPath, isExecutable } from './find-on-path.js';
import { toolFromEnv, type ProvisionedTool } from './provisioned-tool.js';

const MODULE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;
const MIN_GO_MINOR = 25;

const HOW_TO_FIX =
  'To fix, do one of:\n' +
  `  - install Go >= 1.${MIN_GO_MINOR} (https://go.dev/doc/install, or your package manager) and put \`go\` on PATH; ` +
  `the first run then builds the Temporal CLI ${TEMPORAL_CLI_VERSION} into the cache (several minutes on 2 cores), or\n` +
  '  - put a `temporal` CLI (v1.x) on PATH, or\n' +
  '  - set TEMPORAL_CLI_PATH=/path/to/temporal.';

/**
 * Finds the Temporal CLI (dev server + UI): TEMPORAL_CLI_PATH → `temporal` on PATH →
 * the cache → `go install` into the cache. Throws a {@link ProvisionError} naming what
 * to install when none of these works.
 */
export async function ensureTemporalCli(env: NodeJS.ProcessEnv = process.env): Promise<ProvisionedTool> {
  const fromEnv = toolFromEnv('TEMPORAL_CLI_PATH', env);
  if (fromEnv) return fromEnv;
  const onPath = findOnPath('temporal', env);
  if (onPath) return { path: onPath, source: 'path', buildMs: 0 };
  const cached = join(temporalCliDir(env), 'temporal');
  if (isExecutable(cached)) return { path: cached, source: 'cache', buildMs: 0 };
  return buildWithGo(env, cached);
}

async function buildWithGo(env: NodeJS.ProcessEnv, target: string): Promise<ProvisionedTool> {
  const go = await requireGo(env, {
    minMinor: MIN_GO_MINOR,
    what: `the Temporal CLI ${TEMPORAL_CLI_VERSION}`,
    missing: `No Temporal CLI found (TEMPORAL_CLI_PATH unset, no \`temporal\` on PATH, nothing in ${temporalCliDir(env)})`,
    howToFix: HOW_TO_FIX,
  });
  const buildMs = await goInstallInto({
    go,
    env,
    what: `Temporal CLI ${TEMPORAL_CLI_VERSION}`,
    modules: [MODULE],
    binaries: ['temporal'],
    targetDir: temporalCliDir(env),
    expected: 'it takes several minutes on 2 cores (about 3.5 min measured)',
    howToFix: HOW_TO_FIX,
  });
  return { path: target, source: 'built', buildMs };
}
