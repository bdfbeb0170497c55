import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, TEMPORAL_CLI_VERSION, temporalCliDir } from './cache-dir.js';
import { findOnPath, isExecutable } from './find-on-path.js';
import { ProvisionError } from './provision-error.js';
import { say, toolFromEnv, type ProvisionedTool } from './provisioned-tool.js';
import { captureOutput, runWithProgress } from './run-with-progress.js';

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

async function checkGo(env: NodeJS.ProcessEnv): Promise<string> {
  const go = findOnPath('go', env);
  if (!go)
    throw new ProvisionError(
      `No Temporal CLI found (TEMPORAL_CLI_PATH unset, no \`temporal\` on PATH, nothing in ${temporalCliDir(env)}) and no \`go\` on PATH to build one.\n${HOW_TO_FIX}`,
    );
  const version = (await captureOutput(go, ['env', 'GOVERSION']))?.trim() ?? '';
  const minor = Number(/^go1\.(\d+)/.exec(version)?.[1] ?? 0);
  if (minor < MIN_GO_MINOR)
    throw new ProvisionError(
      `Found ${go} (${version || 'unknown version'}), but building the Temporal CLI ${TEMPORAL_CLI_VERSION} needs Go >= 1.${MIN_GO_MINOR}.\n${HOW_TO_FIX}`,
    );
  return go;
}

async function buildWithGo(env: NodeJS.ProcessEnv, target: string): Promise<ProvisionedTool> {
  const go = await checkGo(env);
  const started = Date.now();
  // Build into a scratch dir and rename, so an interrupted build never leaves a cache hit.
  const scratch = join(cacheRoot(env), `.build-temporal-cli-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  say(`building Temporal CLI ${TEMPORAL_CLI_VERSION} with ${go} (go install ${MODULE}).`);
  say('  first build only: it takes several minutes on 2 cores (about 3.5 min measured); later runs reuse the cache.');
  await runWithProgress({
    label: 'go install temporal CLI',
    command: go,
    args: ['install', '-v', MODULE],
    // GOTOOLCHAIN=local: never fetch another Go toolchain behind the user's back.
    env: { ...env, GOBIN: scratch, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
    onFailure: `Building the Temporal CLI failed; it needs the Go module proxy to be reachable.\n${HOW_TO_FIX}`,
  });
  mkdirSync(temporalCliDir(env), { recursive: true });
  renameSync(join(scratch, 'temporal'), target);
  rmSync(scratch, { recursive: true, force: true });
  return { path: target, source: 'built', buildMs: Date.now() - started };
}
