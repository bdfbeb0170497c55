import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from './cache-dir.js';
import { findOnPath } from './find-on-path.js';
import { ProvisionError } from './provision-error.js';
import { say } from './provisioned-tool.js';
import { captureOutput, runWithProgress } from './run-with-progress.js';

/**
 * The `go` on PATH, at least 1.`minMinor`, or a {@link ProvisionError} that starts with
 * `missing` (what was looked for) and ends with `howToFix`.
 */
export async function requireGo(
  env: NodeJS.ProcessEnv,
  o: { minMinor: number; missing: string; howToFix: string; what: string },
): Promise<string> {
  const go = findOnPath('go', env);
  if (!go) throw new ProvisionError(`${o.missing} and no \`go\` on PATH to build one.\n${o.howToFix}`);
  const version = (await captureOutput(go, ['env', 'GOVERSION']))?.trim() ?? '';
  const minor = Number(/^go1\.(\d+)/.exec(version)?.[1] ?? 0);
  if (minor < o.minMinor)
    throw new ProvisionError(
      `Found ${go} (${version || 'unknown version'}), but building ${o.what} needs Go >= 1.${o.minMinor}.\n${o.howToFix}`,
    );
  return go;
}

export interface GoInstall {
  go: string;
  env: NodeJS.ProcessEnv;
  /** What is built, for progress lines ("Alertmanager v0.31.1"). */
  what: string;
  /** Module paths with their pinned version (`…/cmd/amtool@v0.31.1`). */
  modules: string[];
  /** The binaries `go install` writes (their names), moved into `targetDir`. */
  binaries: string[];
  targetDir: string;
  /** `-ldflags` value (e.g. the version a release build would stamp); none by default. */
  ldflags?: string;
  /** A line on how long the first build takes. */
  expected: string;
  howToFix: string;
}

/**
 * `go install` of pinned modules into a scratch dir, then renamed into the cache, so an
 * interrupted build never leaves a cache hit. GOTOOLCHAIN=local: never fetch another Go
 * toolchain behind the user's back. Returns the build time in ms.
 */
export async function goInstallInto(o: GoInstall): Promise<number> {
  const started = Date.now();
  const scratch = join(cacheRoot(o.env), `.build-${o.binaries[0] ?? 'go'}-${process.pid}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  say(`building ${o.what} with ${o.go} (go install ${o.modules.join(' ')}).`);
  say(`  first build only: ${o.expected}; later runs reuse the cache.`);
  await runWithProgress({
    label: `go install ${o.what}`,
    command: o.go,
    args: ['install', '-v', ...(o.ldflags ? ['-ldflags', o.ldflags] : []), ...o.modules],
    env: { ...o.env, GOBIN: scratch, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
    onFailure: `Building ${o.what} failed; it needs the Go module proxy to be reachable.\n${o.howToFix}`,
  });
  mkdirSync(o.targetDir, { recursive: true });
  // The first binary is what marks the cache entry complete: move it last.
  for (const name of [...o.binaries].reverse()) renameSync(join(scratch, name), join(o.targetDir, name));
  rmSync(scratch, { recursive: true, force: true });
  return Date.now() - started;
}
