import type { Command } from 'commander';
import { CONNECTION_ENV } from '../../config/connection-config.js';
import { DATA_DIR_ENV } from '../../config/data-dir.js';
import { GATEWAY_ENV } from '../../config/gateway-config.js';
import { TASK_QUEUE_ENV } from '../../config/task-queue-config.js';
import { CliError } from '../cli-errors.js';
import { withExamples } from './command-kit.js';

/** The process kinds a deployment runs apart; each reads its whole config from the environment. */
export interface ProcessEntrypoints {
  /** Runs one worker role until SIGINT/SIGTERM drains it. */
  runWorker(role: 'orchestration' | 'training'): Promise<void>;
  /** Runs one gateway + webhook replica until SIGINT/SIGTERM. */
  runGateway(): Promise<void>;
}

const ROLES = ['orchestration', 'training'] as const;

/** The global `--address`, `--namespace` and `--data-dir` flags win over the environment, as for every command. */
function flagsToEnv(command: Command): void {
  const g = command.optsWithGlobals<{ address?: string; namespace?: string; dataDir?: string }>();
  if (g.address) process.env[CONNECTION_ENV.address] = g.address;
  if (g.namespace) process.env[CONNECTION_ENV.namespace] = g.namespace;
  if (g.dataDir) process.env[DATA_DIR_ENV] = g.dataDir;
}

/**
 * `flywheel worker orchestration|training` and `flywheel gateway`: the pieces of `flywheel up`
 * as processes of their own, for a deployment on more than one machine (README, "Running on
 * more than one machine"). The entrypoint supplies them (the CLI never builds workers).
 */
export function registerProcessCommands(program: Command, load: () => Promise<ProcessEntrypoints>): void {
  const worker = program
    .command('worker <role>')
    .description(
      `run one worker process: "orchestration" (every workflow + light activities, on ${TASK_QUEUE_ENV.orchestrationTaskQueue}, and a second worker on ${TASK_QUEUE_ENV.cycleTaskQueue} for the cycles when it is set) or "training" (training activities, on ${TASK_QUEUE_ENV.trainingTaskQueue}); any number of each`,
    )
    .action(async (role: string, _opts: unknown, command: Command) => {
      if (!(ROLES as readonly string[]).includes(role))
        throw new CliError(`worker role "${role}": use one of ${ROLES.join(', ')}`);
      flagsToEnv(command);
      await (await load()).runWorker(role as (typeof ROLES)[number]);
    });
  withExamples(worker, [
    'TEMPORAL_ADDRESS=temporal.internal:7233 flywheel worker orchestration',
    'CT_MAX_CONCURRENT_TRAININGS=2 flywheel worker training',
  ]);
  const gateway = program
    .command('gateway')
    .description(
      `run one serving gateway + alert webhook replica (${GATEWAY_ENV.host}:${GATEWAY_ENV.port}, default 127.0.0.1:8080; credentials from ${GATEWAY_ENV.webhookToken} / ${GATEWAY_ENV.webhookHmacSecret}); any number of replicas`,
    )
    .action(async (_opts: unknown, command: Command) => {
      flagsToEnv(command);
      await (await load()).runGateway();
    });
  withExamples(gateway, [`${GATEWAY_ENV.port}=8081 ${GATEWAY_ENV.webhookToken}=s3cret-token flywheel gateway`]);
}
