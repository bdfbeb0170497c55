import path from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { START_FLYWHEELS_ENV } from '../../config/alerts-start-flywheels.js';
import { GATEWAY_ENV } from '../../config/gateway-config.js';
import { parseNumberOption } from '../flywheel-target.js';
import type { StartLocalStack } from '../up/run-up.js';
import { contextOf, withExamples } from './command-kit.js';

/** Environment variables `up` reads for the webhook's credentials (never pass secrets on a shared command line). */
export const WEBHOOK_ENV = { token: GATEWAY_ENV.webhookToken, hmacSecret: GATEWAY_ENV.webhookHmacSecret } as const;

/** The log file's name under <data-dir>/logs/ when --log-file is not given. */
const UP_LOG_FILE = 'flywheel-up.log';

/** --log-file resolved against the cwd, else the data dir's log file. */
function logFileOf(flag: string | undefined, dataDir: string): string {
  return flag === undefined ? path.join(dataDir, 'logs', UP_LOG_FILE) : path.resolve(flag);
}

interface UpFlags {
  verbose?: boolean;
  logFile?: string;
  host: string;
  port: string;
  server: boolean;
  hmacTolerance: string;
}

/**
 * `flywheel up`: everything a laptop deployment needs, in one process. `loadLocalStack`
 * supplies the workers, gateway and webhook (the entrypoint passes src/workers/local-stack.ts).
 */
export function registerUp(
  program: Command,
  loadLocalStack: () => Promise<{ startLocalStack: StartLocalStack }>,
): void {
  const cmd = program
    .command('up')
    .description(
      'run the orchestration + training workers, the serving gateway and the alert webhook in one process (starting the local Temporal server first if needed)',
    )
    .option('--host <ip>', 'gateway/webhook listen address', '127.0.0.1')
    .option('--port <n>', 'gateway/webhook port (0 = any free port)', '8080')
    .option('--no-server', 'never start a local Temporal server, even at the local default address')
    .option(
      '--verbose',
      'print the JSON logs (workers, SDK, gateway, webhook) on this terminal instead of the log file',
    )
    .option('--log-file <file>', `where the JSON logs go, appended (default <data-dir>/logs/${UP_LOG_FILE})`)
    .option(
      '--hmac-tolerance <seconds>',
      "how old (or how far ahead) an HMAC-signed request's X-Ct-Timestamp may be",
      '300',
    )
    .addHelpText(
      'after',
      `\nThe webhook needs ${WEBHOOK_ENV.token} (bearer token) and/or ${WEBHOOK_ENV.hmacSecret} (X-Ct-Timestamp + X-Ct-Signature: HMAC-SHA256 of "<timestamp>.<body>",\nsigned within --hmac-tolerance (300 s), each request once; see src/alerts/README.md);\nwithout either, a random bearer token is generated and printed. Alerts for a model with no running flywheel are\nrejected (202, in "rejected") unless ${START_FLYWHEELS_ENV}=true. Data (registry/, snapshots/, serving.db) goes to --data-dir.`,
    )
    .action(async (opts: UpFlags, command: Command) => {
      const ctx = contextOf(command);
      const port = parseNumberOption('--port', opts.port, z.number().int().min(0).max(65_535))!;
      const hmacToleranceSeconds = parseNumberOption(
        '--hmac-tolerance',
        opts.hmacTolerance,
        z.number().int().min(1).max(86_400),
      )!;
      // Loaded here, not at start-up: the worker and gateway modules are heavy and only `up` needs them.
      const [{ runUp }, { startLocalStack }] = await Promise.all([import('../up/run-up.js'), loadLocalStack()]);
      await runUp(
        ctx,
        {
          ...(opts.verbose ? {} : { logFile: logFileOf(opts.logFile, ctx.dataDir) }),
          host: opts.host,
          port,
          server: opts.server,
          hmacToleranceSeconds,
          ...(process.env[WEBHOOK_ENV.token] ? { webhookToken: process.env[WEBHOOK_ENV.token] } : {}),
          ...(process.env[WEBHOOK_ENV.hmacSecret] ? { webhookHmacSecret: process.env[WEBHOOK_ENV.hmacSecret] } : {}),
        },
        startLocalStack,
      );
    });
  withExamples(cmd, [
    'flywheel up',
    'flywheel up --verbose                      # JSON logs here, not in <data-dir>/logs/flywheel-up.log',
    `${WEBHOOK_ENV.token}=s3cret flywheel up --port 9000 --data-dir /srv/ct-flywheel`,
    'flywheel up --address temporal.internal:7233 --no-server',
  ]);
}
