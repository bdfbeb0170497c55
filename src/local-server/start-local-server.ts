import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { clientConnectionOptions } from '../config/connect.js';
import type { ConnectionConfig } from '../config/connection-config.js';
import { LOCAL_ADDRESS } from './local-server-state.js';
import { ProvisionError } from './provision-error.js';

/** The address `npm run server` serves; only this one is started for you. */
export const LOCAL_DEFAULT_ADDRESS = LOCAL_ADDRESS;
/** A process of its own: provisioning prints progress on stdout, which `up` and the demo keep for their own output. */
const SERVER_MAIN = fileURLToPath(new URL('./server-main.ts', import.meta.url));

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
 * Does what `npm run server` does (provisions the Temporal CLI on first use, starts
 * the dev server detached with its SQLite file in .data/, registers search attributes and
 * waits until it answers). Its output goes to our stderr; the server outlives us.
 */
export async function startLocalServer(): Promise<void> {
  const tsxLoader = import.meta.resolve('tsx');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, SERVER_MAIN, 'start'], {
      stdio: ['ignore', process.stderr, process.stderr],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(
            new ProvisionError(
              `Starting the local Temporal server failed (exit ${code}); see the lines above, or run \`npm run server\` yourself.`,
            ),
          ),
    );
  });
}
