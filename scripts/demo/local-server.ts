import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LOCAL_ADDRESS, LOCAL_UI_URL } from '../lib/local-server-state.js';

const SERVER_SCRIPT = fileURLToPath(new URL('../server.ts', import.meta.url));

/**
 * Makes sure the local Temporal dev server runs, by running the foundation's
 * `npm run server` (provisions the CLI on first use, reuses a running server). The
 * server is detached and outlives the demo: stop it with `npm run server:stop`.
 */
export async function ensureLocalServer(print: (line: string) => void): Promise<{ address: string; uiUrl: string }> {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER_SCRIPT, 'start'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const forward = (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach((line) => print(line));
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run server exited with ${code}; see the lines above`))));
  });
  return { address: LOCAL_ADDRESS, uiUrl: LOCAL_UI_URL.replace(/\/$/, '') };
}
