import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { FlywheelClient, MonitorNotFoundError } from '../../clients/flywheel-client.js';
import { withClient, workflowLink } from '../cli-context.js';
import { findFlywheel, parseModelId, queryStatus, type FlywheelTarget } from '../flywheel-target.js';
import { inFlightDetail } from '../in-flight-detail.js';
import { out, outJson } from '../format/output.js';
import type { MonitorView } from '../format/monitor-view.js';
import { renderStatus } from '../format/status-view.js';
import { contextOf, withExamples } from './command-kit.js';

/** The model's production monitor as its fleet shard (or a per-model monitor from before) holds it; never fails the command. */
async function monitorOf(client: Client, target: FlywheelTarget): Promise<MonitorView> {
  try {
    return await new FlywheelClient(client, { taskQueue: target.taskQueue }).monitorFindings(target.modelId);
  } catch (error) {
    return error instanceof MonitorNotFoundError ? null : { unavailable: (error as Error).message };
  }
}

/** `flywheel status <model>`: the flywheel's `status` query, as a table or JSON. */
export function registerStatus(program: Command): void {
  const cmd = program
    .command('status')
    .description(
      "show a model's flywheel: champion, cycle in flight (rollout weight, bake time left, extensions, a failing step's attempts and last error), pending triggers, the production monitor's latest finding, recent decisions and cycles",
    )
    .argument('<model>', 'model id (the spec id)')
    .option(
      '--json',
      'print the status query answer as JSON, with `inFlightDetail` (rollout bake, pending activities) when a cycle is in flight',
    )
    .action(async (model: string, opts: { json?: boolean }, command: Command) => {
      const ctx = contextOf(command);
      const modelId = parseModelId(model);
      const { status, detail, monitor } = await withClient(ctx, async (client) => {
        const target = await findFlywheel(client, modelId);
        const status = await queryStatus(client, target);
        return { status, detail: await inFlightDetail(client, status), monitor: await monitorOf(client, target) };
      });
      if (opts.json) return outJson({ ...status, ...(detail ? { inFlightDetail: detail } : {}), monitor });
      const flywheel = workflowLink(ctx, `flywheel:${modelId}`);
      // The answer is rendered as it is, whatever its shape: a field that cannot be shown says so.
      const cycleId: unknown = status.inFlight?.workflowId;
      const cycle = typeof cycleId === 'string' ? workflowLink(ctx, cycleId) : undefined;
      out(
        renderStatus(
          status,
          { ...(flywheel ? { flywheel } : {}), ...(cycle ? { cycle } : {}) },
          Date.now(),
          detail,
          monitor,
        ),
      );
    });
  withExamples(cmd, ['flywheel status fraud-sea', "flywheel status fraud-sea --json | jq '.pending'"]);
}
