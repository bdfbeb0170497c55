import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { clientConnectionOptions } from '../../config/connect.js';
import type { ConnectionConfig } from '../../config/connection-config.js';
import { CliError } from '../cli-errors.js';

/** The address `npm run server` serves (scripts/lib/local-server-state.ts); only this one is started for you. */
export const LOCAL_DEFAULT_ADDRESS = '127.0.0.1:7233';
const SERVER_SCRIPT = fileURLToPath(new URL('../../../scripts/server.ts', import.meta.url));

export async function reachable(config: ConnectionConfig): Promise<boolean> {
  try {
    const connection = await Connection.connect({ ...clientConnectionOptions(config), connectTimeout: 1_500 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the foundation's `npm run server` (provisions the Temporal CLI on first use, starts
 * the dev server detached with its SQLite file in .data/, registers search attributes and
 * waits until it answers). Its output goes to our stderr; the server outlives us.
 */
export async function startLocalServer(): Promise<void> {
  const tsxLoader = import.meta.resolve('tsx');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, SERVER_SCRIPT, 'start'], { stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new CliError(`Starting the local Temporal server failed (exit ${code}); see the lines above, or run \`npm run server\` yourself.`)),
    );
  });
}
