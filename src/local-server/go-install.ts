import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from './cache-dir.js';
import { findOnPath } from './find-on-path.js';
import { ProvisionError } from './provision-error.js';
import { say } from './provisioned-tool.js';
import { captureOutput, runWithProgress } from './run-with-progress.js';

/** The oldest Go the pinned Temporal modules build with. */
export const MIN_GO_MINOR = 25;

/** What one `go install` into the cache builds: modules (`path@version`), the binaries it leaves and their names in the cache. */
export interface GoBuild {
  /** What is built, for progress lines, e.g. "Temporal CLI v1.5.1". */
  label: string;
  /** `go install` arguments: packages at one pinned version. */
  packages: string[];
  /** Binary `go install` writes → its name in `targetDir`. */
  binaries: Record<string, string>;
  targetDir: string;
  /** Measured duration, shown before the build starts. */
  estimate: string;
  /** Appended to every error: the ways around building (a binary on PATH, an env var …). */
  howToFix: string;
}

/** The `go` on PATH, checked to be new enough; a {@link ProvisionError} naming what to install otherwise. */
export async function requireGo(env: NodeJS.ProcessEnv, build: Pick<GoBuild, 'label' | 'howToFix'>): Promise<string> {
  const go = findOnPath('go', env);
  if (!go)
    throw new ProvisionError(`Building ${build.label} needs \`go\` on PATH, and there is none.\n${build.howToFix}`);
  const version = (await captureOutput(go, ['env', 'GOVERSION']))?.trim() ?? '';
  const minor = Number(/^go1\.(\d+)/.exec(version)?.[1] ?? 0);
  if (minor < MIN_GO_MINOR)
    throw new ProvisionError(
      `Found ${go} (${version || 'unknown version'}), but building ${build.label} needs Go >= 1.${MIN_GO_MINOR}.\n${build.howToFix}`,
    );
  return go;
}

/**
 * `go install`s pinned packages through the Go module proxy into a scratch dir, then renames
 * the binaries into the cache, so an interrupted build never leaves a cache hit. Prints
 * progress while it runs; returns the milliseconds it took.
 */
export async function goInstallIntoCache(env: NodeJS.ProcessEnv, build: GoBuild): Promise<number> {
  const go = await requireGo(env, build);
  const started = Date.now();
  const scratch = join(cacheRoot(env), `.build-${process.pid}-${Date.now()}`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  say(`building ${build.label} with ${go} (go install ${build.packages.join(' ')}).`);
  say(`  first build only: ${build.estimate}; later runs reuse the cache.`);
  try {
    await runWithProgress({
      label: `go install ${build.label}`,
      command: go,
      args: ['install', '-v', ...build.packages],
      // GOTOOLCHAIN=local: never fetch another Go toolchain behind the user's back.
      env: { ...env, GOBIN: scratch, GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
      onFailure: `Building ${build.label} failed; it needs the Go module proxy to be reachable.\n${build.howToFix}`,
    });
    mkdirSync(build.targetDir, { recursive: true });
    for (const [built, name] of Object.entries(build.binaries))
      renameSync(join(scratch, built), join(build.targetDir, name));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return Date.now() - started;
}

/** `go env <NAME>` (e.g. GOMODCACHE), trimmed. */
export async function goEnv(go: string, name: string): Promise<string | undefined> {
  return (await captureOutput(go, ['env', name]))?.trim() || undefined;
}
