import { spawn, type ChildProcess } from 'node:child_process';
import { waitUntil } from '../../src/local-server/wait-until.js';

export interface ChildServer {
  label: string;
  address: string;
  pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after a grace period) and waits for exit. */
  stop(): Promise<void>;
}

/**
 * Starts a server as a child of this process, keeps the tail of its output for error
 * messages, and waits until `probe` says it is ready (or it exits, or the timeout hits:
 * then it is killed and the error carries its last output lines).
 */
export async function startChildServer(opts: {
  label: string;
  command: string;
  args: string[];
  address: string;
  probe: () => Promise<true | undefined>;
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /**
   * Run it in a process group of its own and signal the whole group on stop: for servers
   * that fork workers (MLflow's uvicorn), so no worker outlives the stop.
   */
  processGroup?: boolean;
}): Promise<ChildServer> {
  const child = spawn(opts.command, opts.args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.env ? { env: opts.env } : {}),
    detached: opts.processGroup ?? false,
  });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((l) => l.trim()),
    );
    tail.splice(0, Math.max(0, tail.length - 30));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: string | undefined;
  let spawnError: string | undefined;
  child.on('error', (err) => (spawnError = err.message));
  child.on('exit', (code, signal) => (exited = `exited early (code ${code}, signal ${signal})`));
  const stop = () => stopChild(child, opts.processGroup ?? false);
  try {
    await waitUntil({
      what: `${opts.label} at ${opts.address}`,
      timeoutMs: opts.timeoutMs,
      probe: opts.probe,
      abort: () => spawnError ?? exited,
    });
  } catch (err) {
    await stop();
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`${message}\ncommand: ${opts.command} ${opts.args.join(' ')}\nlast output:\n${tail.join('\n')}`);
  }
  return { label: opts.label, address: opts.address, pid: child.pid ?? -1, stop };
}

async function stopChild(child: ChildProcess, group: boolean, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      if (group && child.pid !== undefined) process.kill(-child.pid, sig);
      else child.kill(sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // The leader may exit before its workers: make sure none is left behind.
  if (group) signal('SIGKILL');
}
