import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

const PID_FILE = 'trainer-pid.json';

/** Records which program an attempt runs, so that a later attempt can stop it if this worker dies. */
export async function recordProgram(attemptDir: string, pid: number): Promise<void> {
  await writeFile(path.join(attemptDir, PID_FILE), JSON.stringify({ pid, host: hostname() }));
}

/**
 * Stops the program an earlier attempt started, if it still runs on this machine. A worker
 * killed with SIGKILL cannot stop its program (which runs in its own process group, so that
 * a cancellation reaches its children), and the server has already given up on that
 * attempt: left alone, the program keeps a CPU or GPU busy and keeps writing into its work
 * dir. The recorded pid is trusted only when /proc shows that attempt's own input file on
 * its command line, so a reused pid is never hit. SIGKILL at once: nothing it still does
 * can count. Resolves to whether it stopped something.
 */
export async function stopLeftoverProgram(attemptDir: string): Promise<boolean> {
  let recorded: { pid?: unknown; host?: unknown };
  try {
    recorded = JSON.parse(await readFile(path.join(attemptDir, PID_FILE), 'utf8')) as typeof recorded;
  } catch {
    return false; // never started, or written by another version
  }
  const { pid, host } = recorded;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 1 || host !== hostname()) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.split('\0').includes(path.join(attemptDir, 'input.json'))) return false;
  try {
    process.kill(-pid, 'SIGKILL');
    return true;
  } catch {
    return false; // gone meanwhile
  }
}
