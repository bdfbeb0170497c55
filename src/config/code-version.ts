import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The code version recorded in every model version's lineage: `CT_CODE_VERSION` when the
 * deployment sets it (CI builds, containers without .git), else the git commit of this
 * checkout (with `-dirty` when it has uncommitted changes), else `unknown`.
 */
export function codeVersion(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CT_CODE_VERSION) return env.CT_CODE_VERSION;
  try {
    const cwd = fileURLToPath(new URL('.', import.meta.url));
    const described = execFileSync('git', ['describe', '--always', '--dirty', '--abbrev=12'], {
      cwd,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return described.toString().trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}
