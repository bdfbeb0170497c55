import { pino, destination, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { DefaultLogger, Runtime, makeTelemetryFilterString, type LogLevel, type LogMetadata } from '@temporalio/worker';

/**
 * Where the logger writes: stderr until {@link writeLogsToFile} moves it. A pino logger's
 * destination is fixed when it is made, and `logger` is made at import, so it writes through
 * this switch rather than to stderr directly.
 */
const sink: { target: DestinationStream; write(line: string): void } = {
  target: destination({ fd: 2, sync: true }),
  write(line) {
    this.target.write(line);
  },
};

/**
 * The one pino logger of a process. Level from LOG_LEVEL (default info); JSON lines on
 * stderr (so stdout stays free for command output: CLI --json, progress), or in a file.
 */
export const logger: PinoLogger = pino({ name: 'ct-flywheel', level: process.env.LOG_LEVEL ?? 'info' }, sink);

/**
 * Sends every later log line (ours and the Temporal SDK's, webpack's bundle report
 * included) to `file`, appended, creating its folder: `flywheel up` keeps the terminal for
 * its banner and progress lines.
 */
export function writeLogsToFile(file: string): void {
  sink.target = destination({ dest: file, sync: true, append: true, mkdir: true });
}

const pinoLevel: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

let installed = false;

/**
 * Routes every Temporal log (core SDK, worker, workflow `log`, activity `log`) into the
 * pino logger, and with `metricsBindAddress` (`host:port`) serves the SDK's Prometheus
 * metrics there (worker task slots, poll and schedule-to-start latencies, sticky cache, …).
 * Must run once, before anything calls
 * `Runtime.instance()` (creating a worker, a NativeConnection or a test environment does);
 * later calls are no-ops.
 */
export function installRuntimeLogger(base: PinoLogger = logger, options: { metricsBindAddress?: string } = {}): void {
  if (installed) return;
  installed = true;
  const sdkLogger = new DefaultLogger('TRACE', (entry) => {
    const meta: LogMetadata = entry.meta ?? {};
    base[pinoLevel[entry.level]]({ ...meta, sdk: true }, entry.message);
  });
  const coreLevel = (process.env.TEMPORAL_CORE_LOG_LEVEL ?? 'WARN').toUpperCase() as LogLevel;
  Runtime.install({
    logger: sdkLogger,
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: coreLevel }), forward: {} },
      ...(options.metricsBindAddress
        ? {
            metrics: {
              // Names promtool accepts: counters end in _total, durations are histograms in seconds named so.
              prometheus: {
                bindAddress: options.metricsBindAddress,
                countersTotalSuffix: true,
                useSecondsForDurations: true,
                unitSuffix: true,
              },
            },
          }
        : {}),
    },
  });
}
