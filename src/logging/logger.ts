import { pino, destination, type Logger as PinoLogger } from 'pino';
import { DefaultLogger, Runtime, makeTelemetryFilterString, type LogLevel, type LogMetadata } from '@temporalio/worker';

/**
 * The one pino logger of a process. Level from LOG_LEVEL (default info); JSON lines on
 * stderr so stdout stays free for command output (CLI --json, progress).
 */
export const logger: PinoLogger = pino(
  { name: 'ct-flywheel', level: process.env.LOG_LEVEL ?? 'info' },
  destination({ fd: 2, sync: true }),
);

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
