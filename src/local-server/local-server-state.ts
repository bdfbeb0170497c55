import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { z } from 'zod';

/** The local dev server's fixed endpoints (what the README and the UI link promise). */
export const LOCAL_SERVER = { ip: '127.0.0.1', port: 7233, uiPort: 8233 } as const;
export const LOCAL_ADDRESS = `${LOCAL_SERVER.ip}:${LOCAL_SERVER.port}`;
export const LOCAL_UI_URL = `http://${LOCAL_SERVER.ip}:${LOCAL_SERVER.uiPort}/`;

/** Project-local, git-ignored state: the SQLite db survives restarts, the log explains failures. */
export const DATA_DIR = fileURLToPath(new URL('../../.data/', import.meta.url));
export const DB_FILE = join(DATA_DIR, 'temporal.db');
export const LOG_FILE = join(DATA_DIR, 'temporal-server.log');
const PID_FILE = join(DATA_DIR, 'temporal-server.pid.json');

const PidFileSchema = z.object({ pid: z.number().int().positive(), address: z.string(), startedAt: z.string() });
export type PidFile = z.infer<typeof PidFileSchema>;

export function ensureDataDir(): void {
  mkdirSync(DATA_DIR, { recursive: true });
}

/** The recorded server, or undefined if none was recorded or the file is unreadable. */
export function readPidFile(): PidFile | undefined {
  if (!existsSync(PID_FILE)) return undefined;
  const parsed = PidFileSchema.safeParse(JSON.parse(readFileSync(PID_FILE, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

export function writePidFile(pid: number): void {
  const record: PidFile = { pid, address: LOCAL_ADDRESS, startedAt: new Date().toISOString() };
  writeFileSync(PID_FILE, `${JSON.stringify(record, null, 2)}\n`);
}

export function removePidFile(): void {
  rmSync(PID_FILE, { force: true });
}

/**
 * True if `pid` is alive and (where /proc exists) is a `temporal server start-dev`,
 * so a recycled pid is never mistaken for our server, nor killed.
 */
export function isOurServer(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true;
  return readFileSync(cmdline, 'utf8').split('\0').includes('start-dev');
}
