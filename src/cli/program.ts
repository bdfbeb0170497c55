import { Command } from 'commander';
import { CONNECTION_ENV } from '../config/connection-config.js';
import { DATA_DIR_ENV, UI_URL_ENV } from './cli-context.js';
import { registerApprovalCommands } from './commands/approval-commands.js';
import { registerBacktest } from './commands/backtest-command.js';
import { registerDemo } from './commands/demo-command.js';
import { registerHistory } from './commands/history-command.js';
import { registerList } from './commands/list-command.js';
import { registerPolicy } from './commands/policy-command.js';
import { registerProcessCommands, type ProcessEntrypoints } from './commands/process-commands.js';
import { registerRolloutCommands } from './commands/rollout-commands.js';
import { registerScheduleCommands } from './commands/schedule-commands.js';
import { registerSignalCommands } from './commands/signal-commands.js';
import { registerStart } from './commands/start-command.js';
import { registerStatus } from './commands/status-command.js';
import { registerStop } from './commands/stop-command.js';
import { registerUp } from './commands/up-command.js';
import type { StartLocalStack } from './up/run-up.js';

/** What the entrypoint plugs into the CLI: the in-process stack of `flywheel up` and the separate processes (the CLI itself never builds workers). */
export interface ProgramDeps {
  loadLocalStack?: () => Promise<{ startLocalStack: StartLocalStack }>;
  loadProcesses?: () => Promise<ProcessEntrypoints>;
}

/** The `flywheel` command tree (`up` only when `deps` can load the local stack). Output goes through the returned program's configured writers. */
export function createProgram(deps: ProgramDeps = {}): Command {
  const program = new Command('flywheel')
    .description('Drive ct-flywheel (continuous training on Temporal) from a terminal.')
    .option('--address <host:port>', `Temporal frontend (env ${CONNECTION_ENV.address}, default 127.0.0.1:7233)`)
    .option('--namespace <name>', `Temporal namespace (env ${CONNECTION_ENV.namespace}, default "default")`)
    .option(
      '--data-dir <dir>',
      `data directory: registry/, snapshots/, serving.db (env ${DATA_DIR_ENV}, default ./.data)`,
    )
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      `
TLS and API keys come from the environment: ${CONNECTION_ENV.clientCertPath}, ${CONNECTION_ENV.clientKeyPath},
${CONNECTION_ENV.serverRootCaCertPath}, ${CONNECTION_ENV.serverNameOverride}, ${CONNECTION_ENV.apiKey}. ${UI_URL_ENV} sets the Web UI base for links.
Exit codes: 0 ok, 1 error or refusal (message on stderr), 2 Temporal unreachable.

Examples:
  $ flywheel up                                   # local server, workers, gateway, webhook
  $ flywheel worker orchestration                 # or: worker training, gateway (one process each)
  $ flywheel start examples/fraud-sea.yaml
  $ flywheel alert fraud-sea --kind drift --score 0.8 --reason "f1 PSI 0.41"
  $ flywheel status fraud-sea
  $ flywheel list --stage cycle
  $ flywheel approve fraud-sea --as risk-lead@example.com --comment "looks good"
  $ flywheel schedule create fraud-sea --cron '0 3 * * *'
  $ flywheel rollout abort fraud-sea --reason "p95 looks wrong"
  $ flywheel policy fraud-sea --trigger '{"cooldownMs":"1h"}'   # merged into the spec in force
  $ flywheel policy show fraud-sea
  $ flywheel history fraud-sea
  $ flywheel stop fraud-sea                       # drain, then stop the flywheel and its monitor
  $ flywheel backtest --stream sea-f3             # the spec's retraining policy vs periodic, naive, oracle
`,
    );
  if (deps.loadLocalStack) registerUp(program, deps.loadLocalStack);
  if (deps.loadProcesses) registerProcessCommands(program, deps.loadProcesses);
  registerStart(program);
  registerStatus(program);
  registerList(program);
  registerSignalCommands(program);
  registerApprovalCommands(program);
  registerRolloutCommands(program);
  registerPolicy(program);
  registerScheduleCommands(program);
  registerHistory(program);
  registerStop(program);
  registerDemo(program);
  registerBacktest(program);
  return program;
}
