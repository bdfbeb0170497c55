/**
 * The local Temporal dev server for humans (gRPC 127.0.0.1:7233, Web UI
 * http://127.0.0.1:8233), SQLite state in .data/ that survives restarts, the project's
 * search attributes registered. Idempotent: a server that is already up (pid file + health
 * check) is reused. Run by `npm run server` / `server:stop` and by `flywheel up`.
 */
import { openSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { devServerArgs } from './dev-server-args.js';
import * as state from './local-server-state.js';
import { ProvisionError } from './provision-error.js';
import { describeTool, say as sayProvision } from './provisioned-tool.js';
import { ensureTemporalCli } from './temporal-cli.js';
import { probeTemporal, probeUi } from './temporal-health.js';
import { waitUntil } from './wait-until.js';

function say(line: string): void {
  process.stdout.write(`[server] ${line}\n`);
}

async function healthy(): Promise<boolean> {
  try {
    await probeTemporal(state.LOCAL_ADDRESS, { namespace: 'default' });
    return (await probeUi(state.LOCAL_UI_URL)) === true;
  } catch {
    return false;
  }
}

function announce(pid: number): void {
  say(`Temporal dev server is up (pid ${pid}): gRPC ${state.LOCAL_ADDRESS}, namespace default.`);
  say(`Web UI: ${state.LOCAL_UI_URL}`);
  say(`data: ${state.DB_FILE}, log: ${state.LOG_FILE}. Stop it with \`npm run server:stop\`.`);
}

/**
 * Starts the local dev server unless ours already runs: provisions the Temporal CLI on
 * first use, starts it detached with its SQLite file in .data/ (the project's search
 * attributes registered), and waits until it answers. The server outlives this process.
 */
export async function startLocalDevServer(): Promise<void> {
  const recorded = state.readPidFile();
  if (recorded && state.isOurServer(recorded.pid)) {
    say(`found a running server (pid ${recorded.pid}, started ${recorded.startedAt}); checking it answers...`);
    await waitUntil({
      what: 'the running server',
      timeoutMs: 30_000,
      probe: async () => ((await healthy()) ? true : undefined),
    });
    return announce(recorded.pid);
  }
  if (recorded) state.removePidFile();
  if (await healthy()) {
    throw new ProvisionError(
      `Something not started by this script already serves ${state.LOCAL_ADDRESS} and ${state.LOCAL_UI_URL}. Use it as is, or stop it and rerun \`npm run server\`.`,
    );
  }
  const temporalCli = await ensureTemporalCli();
  sayProvision(describeTool('Temporal CLI', temporalCli));
  state.ensureDataDir();
  const args = devServerArgs({
    port: state.LOCAL_SERVER.port,
    uiPort: state.LOCAL_SERVER.uiPort,
    dbFile: state.DB_FILE,
  });
  say(`starting: ${temporalCli.path} ${args.join(' ')}`);
  const log = openSync(state.LOG_FILE, 'a');
  // Detached with its own session and output in a file: it outlives this command.
  const child = spawn(temporalCli.path, args, { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  if (!child.pid) throw new ProvisionError(`Could not start ${temporalCli.path}; see ${state.LOG_FILE}.`);
  state.writePidFile(child.pid);
  const started = Date.now();
  await waitUntil({
    what: 'Temporal dev server',
    timeoutMs: 90_000,
    intervalMs: 300,
    probe: async () => ((await healthy()) ? true : undefined),
    abort: () => (state.isOurServer(child.pid!) ? undefined : `exited during start-up; see ${state.LOG_FILE}`),
  }).catch((err: Error) => {
    state.removePidFile();
    throw new ProvisionError(err.message);
  });
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  announce(child.pid);
}

/** Stops the local dev server started by {@link startLocalDevServer}, if it runs; its data stays. */
export async function stopLocalDevServer(): Promise<void> {
  const recorded = state.readPidFile();
  if (!recorded || !state.isOurServer(recorded.pid)) {
    state.removePidFile();
    return say('no server started by `npm run server` is running.');
  }
  say(`stopping Temporal dev server (pid ${recorded.pid})...`);
  process.kill(recorded.pid, 'SIGTERM');
  const gone = await waitUntil({
    what: 'server shutdown',
    timeoutMs: 15_000,
    probe: async () => (state.isOurServer(recorded.pid) ? undefined : true),
  }).catch(() => false);
  if (!gone) {
    say('did not stop within 15 s; sending SIGKILL.');
    process.kill(recorded.pid, 'SIGKILL');
  }
  state.removePidFile();
  say('stopped. Its data stays in .data/ for the next `npm run server`.');
}
