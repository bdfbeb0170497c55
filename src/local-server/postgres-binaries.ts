import { join } from 'node:path';
import { findOnPath, isExecutable } from './find-on-path.js';
import { ProvisionError } from './provision-error.js';
import { say } from './provisioned-tool.js';
import { runWithProgress } from './run-with-progress.js';

/** The PostgreSQL major the project pins (Debian bookworm's `postgresql-15`). */
export const POSTGRES_MAJOR = 15;
const DEBIAN_PACKAGE = `postgresql-${POSTGRES_MAJOR}`;
const DEBIAN_BIN_DIR = `/usr/lib/postgresql/${POSTGRES_MAJOR}/bin`;
/** A directory holding initdb, pg_ctl and postgres, for a PostgreSQL installed elsewhere. */
export const POSTGRES_BIN_ENV = 'CT_POSTGRES_BIN_DIR';

export interface PostgresBinaries {
  binDir: string;
  initdb: string;
  pgCtl: string;
  source: 'env' | 'system' | 'installed';
  /** Milliseconds the Debian install took (0 unless source is 'installed'). */
  installMs: number;
}

const HOW_TO_FIX =
  `To fix, do one of:\n` +
  `  - install PostgreSQL ${POSTGRES_MAJOR} from Debian: \`sudo apt-get install -y ${DEBIAN_PACKAGE}\` (binaries in ${DEBIAN_BIN_DIR}), or\n` +
  `  - set ${POSTGRES_BIN_ENV}=/path/to/postgresql/bin (a directory with initdb, pg_ctl and postgres).`;

function inDir(binDir: string, source: PostgresBinaries['source'], installMs = 0): PostgresBinaries | undefined {
  const initdb = join(binDir, 'initdb');
  const pgCtl = join(binDir, 'pg_ctl');
  if (!isExecutable(initdb) || !isExecutable(pgCtl) || !isExecutable(join(binDir, 'postgres'))) return undefined;
  return { binDir, initdb, pgCtl, source, installMs };
}

/**
 * Finds the PostgreSQL server binaries for private clusters (tests, benchmarks,
 * `npm run cluster`): CT_POSTGRES_BIN_DIR → Debian's /usr/lib/postgresql/15/bin →
 * `apt-get install postgresql-15` when running as root on Debian. Throws a
 * {@link ProvisionError} saying what to install otherwise. The embedded defaults never
 * call this: only the PostgreSQL serving state and the cluster need a server.
 */
export async function ensurePostgresBinaries(env: NodeJS.ProcessEnv = process.env): Promise<PostgresBinaries> {
  const fromEnv = env[POSTGRES_BIN_ENV];
  if (fromEnv) {
    const found = inDir(fromEnv, 'env');
    if (!found)
      throw new ProvisionError(`${POSTGRES_BIN_ENV}=${fromEnv} has no initdb, pg_ctl and postgres.\n${HOW_TO_FIX}`);
    return found;
  }
  const system = inDir(DEBIAN_BIN_DIR, 'system');
  if (system) return system;
  return installFromDebian(env);
}

async function installFromDebian(env: NodeJS.ProcessEnv): Promise<PostgresBinaries> {
  const aptGet = findOnPath('apt-get', env);
  if (!aptGet || process.getuid?.() !== 0)
    throw new ProvisionError(
      `No PostgreSQL ${POSTGRES_MAJOR} server binaries in ${DEBIAN_BIN_DIR} and ${aptGet ? 'not root' : 'no apt-get'} to install them.\n${HOW_TO_FIX}`,
    );
  const started = Date.now();
  say(`installing ${DEBIAN_PACKAGE} from Debian (apt-get); the first time only, about a minute.`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = ['install', '-y', '--no-install-recommends', DEBIAN_PACKAGE];
  await runWithProgress({ label: 'apt-get install', command: aptGet, args: install, env: aptEnv, onFailure: '' }).catch(
    async () => {
      // A fresh image has empty package lists: refresh them once and retry.
      await runWithProgress({
        label: 'apt-get update',
        command: aptGet,
        args: ['update'],
        env: aptEnv,
        onFailure: HOW_TO_FIX,
      });
      await runWithProgress({
        label: 'apt-get install',
        command: aptGet,
        args: install,
        env: aptEnv,
        onFailure: HOW_TO_FIX,
      });
    },
  );
  const installed = inDir(DEBIAN_BIN_DIR, 'installed', Date.now() - started);
  if (!installed)
    throw new ProvisionError(`${DEBIAN_PACKAGE} installed, but ${DEBIAN_BIN_DIR} lacks its binaries.\n${HOW_TO_FIX}`);
  return installed;
}

/** One provisioning line, in the format of the other tools. */
export function describePostgres(b: PostgresBinaries): string {
  const how = {
    env: `from ${POSTGRES_BIN_ENV}`,
    system: 'found',
    installed: `apt-get installed in ${(b.installMs / 1000).toFixed(1)} s`,
  }[b.source];
  return `PostgreSQL ${POSTGRES_MAJOR}: ${b.binDir} (${how})`;
}
