import type { Command } from 'commander';
import { loadModelSpec } from '../../adapters/spec-loader.js';
import { ModelSpecError } from '../../domain/model-spec/model-spec.js';
import { TaskQueue } from '../../domain/task-queues.js';
import { startFlywheel } from '../../schedules/start-flywheel.js';
import { withClient, workflowLink } from '../cli-context.js';
import { CliError } from '../cli-errors.js';
import { out, outJson } from '../format/output.js';
import { contextOf, withExamples } from './command-kit.js';

interface StartOptions {
  taskQueue: string;
  trainingTaskQueue: string;
  json?: boolean;
}

/** `flywheel start <spec>`: validate the spec file, then signal-with-start `flywheel:<id>` (idempotent). */
export function registerStart(program: Command): void {
  const cmd = program
    .command('start')
    .description('validate a model spec file (YAML/JSON) and start its flywheel, or update the spec of the running one')
    .argument('<spec>', 'model spec file (.yaml, .yml or .json)')
    .option('--task-queue <queue>', 'task queue of the orchestration workers', TaskQueue.orchestration)
    .option('--training-task-queue <queue>', 'task queue of the training workers', TaskQueue.training)
    .option('--json', 'print { modelId, workflowId, ui } as JSON')
    .action(async (specFile: string, opts: StartOptions, command: Command) => {
      const ctx = contextOf(command);
      const spec = await loadModelSpec(specFile).catch((err: unknown) => {
        if (err instanceof ModelSpecError) throw new CliError(err.message);
        throw err;
      });
      const handle = await withClient(ctx, (client) =>
        startFlywheel(client, spec, {
          taskQueue: opts.taskQueue,
          ...(opts.trainingTaskQueue !== TaskQueue.training ? { trainingTaskQueue: opts.trainingTaskQueue } : {}),
        }),
      );
      const ui = workflowLink(ctx, handle.workflowId);
      if (opts.json) return outJson({ modelId: spec.id, workflowId: handle.workflowId, ...(ui ? { ui } : {}) });
      out(`flywheel ${handle.workflowId} is running with the spec of "${spec.id}" (${specFile})`);
      if (ui) out(`ui: ${ui}`);
      out(`next: flywheel status ${spec.id}`);
    });
  withExamples(cmd, ['flywheel start examples/fraud-sea.yaml', 'flywheel start examples/churn-csv.yaml --address temporal.internal:7233 --namespace ml']);
}
