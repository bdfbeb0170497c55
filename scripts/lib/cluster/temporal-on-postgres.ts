import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { searchAttributeCliPairs } from '../../../src/domain/search-attributes.js';
import { ProvisionError } from '../../../src/local-server/provision-error.js';
import { captureOutput, runWithProgress } from '../../../src/local-server/run-with-progress.js';
import { probeTemporal } from '../../../src/local-server/temporal-health.js';
import type { TemporalServerTools } from '../../../src/local-server/temporal-server.js';
import { waitUntil } from '../../../src/local-server/wait-until.js';
import { freePort } from '../free-port.js';
import {
  TEMPORAL_DATABASES,
  TEMPORAL_DYNAMIC_CONFIG,
  temporalServerConfig,
  type PostgresEndpoint,
  type TemporalServerPorts,
} from './temporal-server-config.js';

export interface TemporalOnPostgresOptions {
  tools: TemporalServerTools;
  /** The Temporal CLI, for `operator namespace create` and `operator search-attribute create`. */
  temporalCli: string;
  pg: PostgresEndpoint;
  /** The server's root: config/, its log and the marker of a schema already set up. */
  dir: string;
  namespace: string;
  say: (line: string) => void;
  /** Called with the server's pid as soon as it is spawned, so a failed start can stop it. */
  onStarted?: (pid: number) => void;
}

export interface TemporalOnPostgres {
  address: string;
  namespace: string;
  pid: number;
  logFile: string;
}

/**
 * The full Temporal server on PostgreSQL, started detached (it outlives `npm run cluster`):
 * the two databases and their schema through the sql tool (once per state dir), the config
 * on loopback ports, then the namespace and the project's search attributes. Resolves when
 * a client sees the namespace with the attributes registered.
 */
export async function startTemporalOnPostgres(o: TemporalOnPostgresOptions): Promise<TemporalOnPostgres> {
  mkdirSync(join(o.dir, 'config', 'dynamicconfig'), { recursive: true });
  await setUpSchema(o);
  const ports = await allocatePorts();
  const dynamicConfig = join(o.dir, 'config', 'dynamicconfig', 'development.yaml');
  writeFileSync(dynamicConfig, JSON.stringify(TEMPORAL_DYNAMIC_CONFIG, null, 2));
  writeFileSync(
    join(o.dir, 'config', 'development.yaml'),
    JSON.stringify(temporalServerConfig(o.pg, ports, dynamicConfig), null, 2),
  );
  const logFile = join(o.dir, 'temporal-server.log');
  const log = openSync(logFile, 'a');
  const args = ['--root', o.dir, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'];
  o.say(`starting the Temporal server: ${o.tools.server} ${args.join(' ')}`);
  const child = spawn(o.tools.server, args, { detached: true, stdio: ['ignore', log, log], cwd: o.dir });
  child.unref();
  if (!child.pid) throw new ProvisionError(`Could not start ${o.tools.server}; see ${logFile}.`);
  const pid = child.pid;
  o.onStarted?.(pid);
  const address = `127.0.0.1:${ports.frontend}`;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return undefined;
    } catch {
      return `exited during start-up; see ${logFile}`;
    }
  };
  await waitUntil({
    what: 'the Temporal server',
    timeoutMs: 120_000,
    intervalMs: 300,
    probe: () => probeTemporal(address),
    abort: alive,
  });
  await registerNamespace(o, address);
  await waitUntil({
    what: `namespace ${o.namespace} with the Ct* search attributes`,
    timeoutMs: 60_000,
    intervalMs: 500,
    probe: () => probeTemporal(address, { namespace: o.namespace }),
    abort: alive,
  });
  return { address, namespace: o.namespace, pid, logFile };
}

async function setUpSchema(o: TemporalOnPostgresOptions): Promise<void> {
  const marker = join(o.dir, 'schema-set-up');
  if (existsSync(marker)) return;
  const connect = ['--plugin', 'postgres12', '--ep', o.pg.host, '-p', String(o.pg.port), '-u', o.pg.user];
  const pw = ['--pw', o.pg.password];
  const versioned = { default: 'temporal', visibility: 'visibility' } as const;
  for (const key of ['default', 'visibility'] as const) {
    const db = ['--db', TEMPORAL_DATABASES[key]];
    const dir = join(o.tools.postgresSchemaDir, versioned[key], 'versioned');
    for (const step of [['create-database'], ['setup-schema', '-v', '0.0'], ['update-schema', '-d', dir]]) {
      await runWithProgress({
        label: `temporal-sql-tool ${step[0]} ${TEMPORAL_DATABASES[key]}`,
        command: o.tools.sqlTool,
        args: [...connect, ...pw, ...db, ...step],
        onFailure: `Setting up the Temporal schema in PostgreSQL ${o.pg.host}:${o.pg.port} failed.`,
      });
    }
  }
  o.say(`schema set up: ${TEMPORAL_DATABASES.default}, ${TEMPORAL_DATABASES.visibility}`);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
}

async function registerNamespace(o: TemporalOnPostgresOptions, address: string): Promise<void> {
  const cli = (args: string[]) => captureOutput(o.temporalCli, [...args, '--address', address]);
  // Answers an error when it exists already (a restarted cluster): the probe below decides.
  await cli(['operator', 'namespace', 'create', '--namespace', o.namespace, '--retention', '72h']);
  for (const pair of searchAttributeCliPairs()) {
    const [name, type] = pair.split('=') as [string, string];
    // Retried: a namespace just created takes a moment to reach the frontend's cache.
    await waitUntil({
      what: `search attribute ${name}`,
      timeoutMs: 60_000,
      intervalMs: 1_000,
      probe: async () =>
        (await cli([
          'operator',
          'search-attribute',
          'create',
          '--namespace',
          o.namespace,
          '--name',
          name,
          '--type',
          type,
        ])) !== undefined || (await registered(o, address, name))
          ? true
          : undefined,
    });
  }
  // A new mapping reaches the frontend's namespace cache some seconds after it is created; until
  // then a start with our search attributes is refused ("no mapping defined for search attribute").
  // A visibility query naming every attribute is validated against that same cache.
  const probeQuery = searchAttributeCliPairs()
    .map((pair) => `${pair.split('=')[0]} IS NOT NULL`)
    .join(' AND ');
  await waitUntil({
    what: 'search attributes usable by the frontend',
    timeoutMs: 60_000,
    intervalMs: 1_000,
    probe: async () =>
      (await cli(['workflow', 'list', '--namespace', o.namespace, '--query', probeQuery, '--limit', '1'])) !== undefined
        ? true
        : undefined,
  });
  o.say(`namespace ${o.namespace} with ${searchAttributeCliPairs().join(', ')}`);
}

async function registered(o: TemporalOnPostgresOptions, address: string, name: string): Promise<boolean> {
  const out = await captureOutput(o.temporalCli, [
    'operator',
    'search-attribute',
    'list',
    '--namespace',
    o.namespace,
    '--address',
    address,
  ]);
  return out?.includes(name) ?? false;
}

async function allocatePorts(): Promise<TemporalServerPorts> {
  const names = [
    'frontend',
    'frontendHttp',
    'frontendMembership',
    'history',
    'historyMembership',
    'matching',
    'matchingMembership',
    'worker',
    'workerMembership',
  ] as const;
  const ports: Partial<TemporalServerPorts> = {};
  for (const name of names) ports[name] = name.endsWith('Membership') ? await freeMembershipPort() : await freePort();
  return ports as TemporalServerPorts;
}

/**
 * The server stores membership ports in a PostgreSQL `smallint` (it died with `value "39967"
 * is out of range for type smallint`), and the OS hands out free ports above 32767: pick
 * one below, checking it is free.
 */
async function freeMembershipPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await portIsFree(port)) return port;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
