import type { Command } from 'commander';
import { loadModelSpec } from '../../adapters/spec-loader.js';
import { ModelSpecError } from '../../domain/model-spec/model-spec.js';
import { codeVersion } from '../../config/code-version.js';
import { flywheelQueueOptions, TASK_QUEUE_ENV, taskQueueConfigFromEnv } from '../../config/task-queue-config.js';
import { FlywheelClient } from '../../clients/flywheel-client.js';
import { startProductionMonitor } from '../../monitor/start-monitor.js';
import { withClient, workflowLink } from '../cli-context.js';
import { CliError } from '../cli-errors.js';
import { out, outJson } from '../format/output.js';
import { contextOf, withExamples } from './command-kit.js';

interface StartOptions {
  taskQueue?: string;
  trainingTaskQueue?: string;
  monitor: boolean;
  json?: boolean;
}

/** `flywheel start <spec>`: validate the spec file, then signal-with-start `flywheel:<id>` (idempotent). */
export function registerStart(program: Command): void {
  const cmd = program
    .command('start')
    .description('validate a model spec file (YAML/JSON) and start its flywheel, or update the spec of the running one')
    .argument('<spec>', 'model spec file (.yaml, .yml or .json)')
    .option(
      '--task-queue <queue>',
      `task queue of the orchestration workers (default: $${TASK_QUEUE_ENV.orchestrationTaskQueue} or ct-orchestration, as the workers read it)`,
    )
    .option(
      '--training-task-queue <queue>',
      `task queue of the training workers (default: $${TASK_QUEUE_ENV.trainingTaskQueue} or ct-training, as the workers read it)`,
    )
    .option(
      '--no-monitor',
      'do not put the model on the fleet production monitor (monitor-fleet:<queue>:<k>-of-<n>); use when alerts come only from your own alerting stack',
    )
    .option('--json', 'print { modelId, workflowId, monitorWorkflowId, ui } as JSON')
    .action(async (specFile: string, opts: StartOptions, command: Command) => {
      const ctx = contextOf(command);
      const spec = await loadModelSpec(specFile).catch((err: unknown) => {
        if (err instanceof ModelSpecError) throw new CliError(err.message);
        throw err;
      });
      // The same CT_* variables the workers poll by, so the flywheel and its cycles land on queues a worker polls.
      const configured = taskQueueConfigFromEnv();
      const taskQueue = opts.taskQueue ?? configured.orchestrationTaskQueue;
      const trainingTaskQueue = opts.trainingTaskQueue ?? configured.trainingTaskQueue;
      const { handle, monitor } = await withClient(ctx, async (client) => {
        const flywheels = new FlywheelClient(client, {
          taskQueue,
          flywheelOptions: {
            ...flywheelQueueOptions({ ...configured, orchestrationTaskQueue: taskQueue, trainingTaskQueue }),
            codeVersion: codeVersion(),
          },
        });
        const handle = await flywheels.start(spec);
        // The fleet monitor turns the gateway's prediction log into drift/performance signals;
        // idempotent, so re-running `start` to update a spec leaves the model's monitor settings alone.
        const monitor = opts.monitor ? await startProductionMonitor(flywheels, spec) : undefined;
        return { handle, monitor };
      });
      const ui = workflowLink(ctx, handle.workflowId);
      if (opts.json) {
        return outJson({
          modelId: spec.id,
          workflowId: handle.workflowId,
          ...(monitor ? { monitorWorkflowId: monitor.workflowId } : {}),
          ...(ui ? { ui } : {}),
        });
      }
      out(`flywheel ${handle.workflowId} is running with the spec of "${spec.id}" (${specFile})`);
      if (monitor)
        out(
          `monitor ${monitor.workflowId} watches "${spec.id}"${monitor.migratedFrom ? ` (moved from ${monitor.migratedFrom}, now stopped)` : ''}`,
        );
      if (ui) out(`ui: ${ui}`);
      out(`next: flywheel status ${spec.id}`);
    });
  withExamples(cmd, [
    'flywheel start examples/fraud-sea.yaml',
    'flywheel start examples/churn-csv.yaml --address temporal.internal:7233 --namespace ml',
  ]);
}
