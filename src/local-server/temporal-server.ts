import { cpSync, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { TEMPORAL_SERVER_VERSION, temporalServerDir } from './cache-dir.js';
import { isExecutable } from './find-on-path.js';
import { goInstallInto, requireGo } from './go-install.js';
import { captureOutput } from './run-with-progress.js';
import { ProvisionError } from './provision-error.js';
import type { ProvisionedTool } from './provisioned-tool.js';

const MODULE = 'go.temporal.io/server';
/** The oldest Go that builds the pinned server. */
const MIN_GO_MINOR = 25;
const PACKAGES = [
  `${MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`,
  `${MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
];

const HOW_TO_FIX =
  `To fix: install Go >= 1.${MIN_GO_MINOR} (https://go.dev/doc/install, or your package manager) and put \`go\` on PATH; ` +
  `the first \`npm run cluster\` then builds the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool into the cache ` +
  '(about 2 min with a warm Go module cache; cold, it downloads ~1,400 modules and takes about 8 CPU-minutes). Only the cluster needs them: the demo and `flywheel up` use the dev server.';

/** The full Temporal server, its SQL schema tool and the PostgreSQL schema they set up, in the cache. */
export interface TemporalServerTools extends ProvisionedTool {
  /** `temporal-server`: `--root DIR --config config --env development start`. */
  server: string;
  /** `temporal-sql-tool`: create-database, setup-schema, update-schema. */
  sqlTool: string;
  /** `schema/postgresql/v12` of the same module version (`temporal/versioned`, `visibility/versioned`). */
  postgresSchemaDir: string;
}

/**
 * Finds the Temporal server 1.29.1 and its SQL tool in the cache, or builds both with one
 * pinned `go install` through the Go module proxy and copies the module's PostgreSQL schema
 * next to them (the sql tool applies the versioned schema from a directory).
 */
export async function ensureTemporalServer(env: NodeJS.ProcessEnv = process.env): Promise<TemporalServerTools> {
  const dir = temporalServerDir(env);
  const tools = {
    server: join(dir, 'temporal-server'),
    sqlTool: join(dir, 'temporal-sql-tool'),
    postgresSchemaDir: join(dir, 'schema', 'postgresql', 'v12'),
  };
  const cached = isExecutable(tools.server) && isExecutable(tools.sqlTool) && existsSync(tools.postgresSchemaDir);
  if (cached) return { ...tools, path: tools.server, source: 'cache', buildMs: 0 };
  const what = `the Temporal server ${TEMPORAL_SERVER_VERSION} and its SQL tool`;
  const go = await requireGo(env, {
    minMinor: MIN_GO_MINOR,
    what,
    missing: `No Temporal server in ${dir}`,
    howToFix: HOW_TO_FIX,
  });
  // `go install` names them after their packages (server, sql); the cache gives them their own names.
  const buildMs = await goInstallInto({
    go,
    env,
    what,
    modules: PACKAGES,
    binaries: ['sql', 'server'],
    targetDir: dir,
    expected:
      'about 2 min on 2 cores with the Go module cache warm from the Temporal CLI build; cold, about 8 CPU-minutes (measured: 407 s user + 79 s system)',
    howToFix: HOW_TO_FIX,
  });
  renameSync(join(dir, 'server'), tools.server);
  renameSync(join(dir, 'sql'), tools.sqlTool);
  const modCache = (await captureOutput(go, ['env', 'GOMODCACHE']))?.trim();
  const schema = modCache && join(modCache, `${MODULE}@${TEMPORAL_SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  if (!schema || !existsSync(schema))
    throw new ProvisionError(`The Temporal server module's PostgreSQL schema is not at ${schema}.\n${HOW_TO_FIX}`);
  cpSync(schema, tools.postgresSchemaDir, { recursive: true });
  return { ...tools, path: tools.server, source: 'built', buildMs };
}
