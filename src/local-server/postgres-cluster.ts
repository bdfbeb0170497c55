/**
 * A private PostgreSQL cluster on 127.0.0.1 for tests, benchmarks and `npm run cluster`:
 * `initdb` into a data dir of our own, `pg_ctl start` on a free port, databases created on
 * demand, `pg_ctl stop`. Nothing of the machine's own PostgreSQL (its clusters, config or
 * port 5432) is touched. As root the server runs as the `postgres` user, because
 * PostgreSQL refuses to run as root.
 */
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';
import { ensurePostgresBinaries, type PostgresBinaries } from './postgres-binaries.js';
import { ProvisionError } from './provision-error.js';

export interface PostgresClusterOptions {
  /** The cluster's data dir: initialised on first use, reused (and restarted) after that. */
  dataDir: string;
  /** Default: a free port (a fresh one per attempt if another process takes it first). */
  port?: number;
  /** Extra server settings (`-c name=value`), e.g. `{ fsync: 'off' }` for throwaway test clusters. */
  settings?: Readonly<Record<string, string | number>>;
  /** Progress lines (default: `[postgres] …` on stdout). */
  say?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

export interface PostgresCluster {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly dataDir: string;
  /** `postgres://postgres@127.0.0.1:<port>/<database>` (trust auth, loopback only). */
  url(database?: string): string;
  /** Creates the database unless it exists; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown (`pg_ctl stop -m fast`); the data dir stays for the next start. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const SUPERUSER = 'postgres';
/** Unix sockets allow about 107 bytes of path; beyond that the cluster listens on TCP only. */
const MAX_SOCKET_DIR = 90;

/**
 * Starts (initialising first if needed) a private cluster in `dataDir` and waits until it
 * accepts connections. A cluster already running in `dataDir` is reused as it is.
 */
export async function startPostgresCluster(opts: PostgresClusterOptions): Promise<PostgresCluster> {
  const say = opts.say ?? ((line: string) => process.stdout.write(`[postgres] ${line}\n`));
  const bins = await ensurePostgresBinaries(opts.env);
  const owner = serverUser();
  prepareDir(opts.dataDir, owner);
  const running = runningPort(opts.dataDir);
  if (running !== undefined) {
    say(`reusing the cluster already running in ${opts.dataDir} on ${HOST}:${running}`);
    return handle(bins, owner, opts.dataDir, running);
  }
  if (!existsSync(join(opts.dataDir, 'PG_VERSION'))) {
    const started = Date.now();
    await run(
      bins.initdb,
      ['-D', opts.dataDir, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
      owner,
    );
    say(`initdb ${opts.dataDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    const started = Date.now();
    try {
      await run(
        bins.pgCtl,
        ['-D', opts.dataDir, '-l', logFile(opts.dataDir), '-w', '-t', '60', '-o', serverArgs(opts, port), 'start'],
        owner,
      );
      say(
        `PostgreSQL up on ${HOST}:${port} in ${((Date.now() - started) / 1000).toFixed(1)} s (data ${opts.dataDir}, log ${logFile(opts.dataDir)})`,
      );
      return handle(bins, owner, opts.dataDir, port);
    } catch (err) {
      // Another process may have bound the free port first: try a fresh one, twice.
      if (opts.port !== undefined || attempt >= 3) throw withLogTail(err, opts.dataDir);
    }
  }
}

/**
 * A throwaway cluster in a fresh temp dir (tests, benchmarks): `stop()` also deletes it.
 * Defaults to `fsync=off` unless `settings` say otherwise: nothing in it must survive a crash.
 */
export async function startTempPostgresCluster(
  opts: Omit<PostgresClusterOptions, 'dataDir'> & { prefix?: string } = {},
): Promise<PostgresCluster> {
  const root = mkdtempSync(join(tmpdir(), opts.prefix ?? 'ct-pg-'));
  chmodSync(root, 0o711); // the server's user must reach the data dir inside
  try {
    const cluster = await startPostgresCluster({
      ...opts,
      dataDir: join(root, 'data'),
      settings: { fsync: 'off', ...opts.settings },
    });
    return {
      ...cluster,
      async stop() {
        await cluster.stop();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
}

/** Stops the cluster running in `dataDir`, if any (for a process other than the one that started it). */
export async function stopPostgresCluster(dataDir: string, env?: NodeJS.ProcessEnv): Promise<boolean> {
  if (runningPort(dataDir) === undefined) return false;
  const bins = await ensurePostgresBinaries(env);
  await run(bins.pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop'], serverUser());
  return true;
}

function handle(bins: PostgresBinaries, owner: Owner | undefined, dataDir: string, port: number): PostgresCluster {
  const url = (database = SUPERUSER) => `postgres://${SUPERUSER}@${HOST}:${port}/${database}`;
  return {
    host: HOST,
    port,
    dataDir,
    url,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
        throw new ProvisionError(
          `database name "${name}": use lowercase letters, digits and "_", starting with a letter`,
        );
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } catch (err) {
        if ((err as { code?: string }).code !== '42P04') throw err; // 42P04: duplicate_database
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      await run(bins.pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop'], owner);
    },
  };
}

function serverArgs(opts: PostgresClusterOptions, port: number): string {
  const socketDir = opts.dataDir.length <= MAX_SOCKET_DIR ? opts.dataDir : '';
  const settings = { listen_addresses: HOST, unix_socket_directories: `'${socketDir}'`, ...opts.settings };
  const flags = Object.entries(settings).map(([k, v]) => `-c ${k}=${String(v)}`);
  return [`-p ${port}`, ...flags].join(' ');
}

const logFile = (dataDir: string) => join(dataDir, 'server.log');

/** The port of the postmaster running in `dataDir` (its postmaster.pid, with a live pid), if any. */
function runningPort(dataDir: string): number | undefined {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return undefined;
  }
  return Number(port);
}

type Owner = { uid: number; gid: number };

/** As root: the `postgres` user (initdb and postgres refuse root). Otherwise: ourselves. */
function serverUser(): Owner | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${SUPERUSER}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined)
    throw new ProvisionError(
      `Running as root, but there is no "${SUPERUSER}" user to run PostgreSQL as (it refuses root). Install postgresql-15 (which creates it) or run as a normal user.`,
    );
  return { uid: Number(uid), gid: Number(gid) };
}

/** The data dir must belong to the server's user and be private to it. */
function prepareDir(dataDir: string, owner: Owner | undefined): void {
  mkdirSync(dirname(dataDir), { recursive: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (owner) chownSync(dataDir, owner.uid, owner.gid);
}

async function run(command: string, args: string[], owner: Owner | undefined): Promise<void> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/', ...(owner ?? {}) });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new ProvisionError(`${command} ${args.join(' ')} failed (exit ${code}):\n${out.trim()}`);
}

function withLogTail(err: unknown, dataDir: string): Error {
  const log = logFile(dataDir);
  const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-10).join('\n') : '(no log)';
  return new ProvisionError(`${err instanceof Error ? err.message : String(err)}\nlast lines of ${log}:\n${tail}`);
}
