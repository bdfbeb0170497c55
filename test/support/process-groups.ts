import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * Child processes a test starts, each the leader of its own process group, so a kill
 * reaches whatever it started too. `killAll` (in afterAll) and, should the test process
 * itself die, an exit hook SIGKILL every group still running: nothing outlives the test.
 */
export class ProcessGroups {
  private readonly running = new Set<ChildProcess>();
  private readonly onExit = () => {
    for (const child of this.running) signalGroup(child, 'SIGKILL');
  };

  constructor() {
    process.once('exit', this.onExit);
  }

  spawn(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
    const child = spawn(command, args, { ...options, detached: true });
    this.running.add(child);
    child.once('exit', () => this.running.delete(child));
    return child;
  }

  /** Signals the child's whole group and resolves once the child is gone (its exit code, null when signalled). */
  kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    return killAndWait(child, () => signalGroup(child, signal));
  }

  async killAll(): Promise<void> {
    await Promise.all([...this.running].map((c) => this.kill(c)));
    process.removeListener('exit', this.onExit);
  }
}

/** Sends a signal with `send` and resolves once the child is gone: its exit code, null when killed by the signal. */
export async function killAndWait(child: ChildProcess, send: () => void): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const gone = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  send();
  return gone;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}
