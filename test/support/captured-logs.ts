import { destination, multistream, pino, type Level, type Logger } from 'pino';

/** One JSON log line as pino wrote it. */
export type LogEntry = Record<string, unknown> & { level: number; msg?: string };

const KEY = Symbol.for('ct-flywheel.captured-logs');
const MAX_ENTRIES = 10_000;

// Kept on globalThis: the Runtime (and so the logger it holds) lives for the whole
// forked process, across vitest's per-file module isolation.
function buffer(): LogEntry[] {
  const g = globalThis as { [KEY]?: LogEntry[] };
  return (g[KEY] ??= []);
}

/**
 * The pino logger test processes give to `installRuntimeLogger`: the real JSON lines go
 * to stderr at LOG_LEVEL (default warn, to keep test output readable) and, from info
 * up, into an in-memory buffer that tests can read with {@link capturedLogs}.
 */
export function createTestLogger(): Logger {
  const memory = {
    write(line: string) {
      const entries = buffer();
      entries.push(JSON.parse(line) as LogEntry);
      if (entries.length > MAX_ENTRIES) entries.splice(0, entries.length - MAX_ENTRIES);
    },
  };
  const stderrLevel = process.env.LOG_LEVEL ?? 'warn';
  return pino(
    { name: 'ct-flywheel', level: 'info' },
    multistream([
      { level: stderrLevel as Level, stream: withoutKnownNoise(destination({ fd: 2, sync: true })) },
      { level: 'info', stream: memory },
    ]),
  );
}

// Core warns on every worker that the Java test server lacks a heartbeat capability;
// true but not actionable in tests, so it stays in the buffer and off stderr.
const KNOWN_NOISE = 'activity_failure_include_heartbeat';

const QUIET = Symbol.for('ct-flywheel.stderr-quiet');
const quiet = globalThis as { [QUIET]?: number };

function withoutKnownNoise(stream: { write(line: string): unknown }) {
  return {
    write: (line: string) =>
      line.includes(KNOWN_NOISE) || ((quiet[QUIET] ?? 0) > 0 && !/"level":60/.test(line)) ? true : stream.write(line),
  };
}

/**
 * Keeps the warnings a test provokes on purpose (a fuzz corpus drops hundreds of payloads,
 * each with a warning or error) off stderr while `fn` runs; fatal lines still show, and everything stays
 * in the buffer.
 */
export async function withQuietStderr<T>(fn: () => Promise<T>): Promise<T> {
  quiet[QUIET] = (quiet[QUIET] ?? 0) + 1;
  try {
    return await fn();
  } finally {
    quiet[QUIET] = (quiet[QUIET] ?? 1) - 1;
  }
}

/** Log entries the Runtime logger wrote in this test process so far (info and above). */
export function capturedLogs(): readonly LogEntry[] {
  return buffer();
}
