import type { Command } from 'commander';
import { withClient, workflowLink } from '../cli-context.js';
import { findFlywheel, parseModelId, queryStatus } from '../flywheel-target.js';
import { inFlightDetail } from '../in-flight-detail.js';
import { out, outJson } from '../format/output.js';
import { renderStatus } from '../format/status-view.js';
import { contextOf, withExamples } from './command-kit.js';

/** `flywheel status <model>`: the flywheel's `status` query, as a table or JSON. */
export function registerStatus(program: Command): void {
  const cmd = program
    .command('status')
    .description(
      "show a model's flywheel: champion, cycle in flight (rollout weight, bake time left, extensions, a failing step's attempts and last error), pending triggers, recent decisions and cycles",
    )
    .argument('<model>', 'model id (the spec id)')
    .option(
      '--json',
      'print the status query answer as JSON, with `inFlightDetail` (rollout bake, pending activities) when a cycle is in flight',
    )
    .action(async (model: string, opts: { json?: boolean }, command: Command) => {
      const ctx = contextOf(command);
      const modelId = parseModelId(model);
      const { status, detail } = await withClient(ctx, async (client) => {
        const status = await queryStatus(client, await findFlywheel(client, modelId));
        return { status, detail: await inFlightDetail(client, status) };
      });
      if (opts.json) return outJson(detail ? { ...status, inFlightDetail: detail } : status);
      const flywheel = workflowLink(ctx, `flywheel:${modelId}`);
      // The answer is rendered as it is, whatever its shape: a field that cannot be shown says so.
      const cycleId: unknown = status.inFlight?.workflowId;
      const cycle = typeof cycleId === 'string' ? workflowLink(ctx, cycleId) : undefined;
      out(renderStatus(status, { ...(flywheel ? { flywheel } : {}), ...(cycle ? { cycle } : {}) }, Date.now(), detail));
    });
  withExamples(cmd, ['flywheel status fraud-sea', "flywheel status fraud-sea --json | jq '.pending'"]);
}
