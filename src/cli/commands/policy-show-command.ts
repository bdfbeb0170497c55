import type { Command } from 'commander';
import { stringify } from 'yaml';
import { withClient } from '../cli-context.js';
import { CliError } from '../cli-errors.js';
import { findFlywheel, parseModelId, queryStatus } from '../flywheel-target.js';
import { out, outJson } from '../format/output.js';
import { contextOf, withExamples } from './command-kit.js';

/**
 * `flywheel policy show <model>`: the spec the flywheel runs, as its `status` query returns
 * it (defaults filled in, durations in ms): what `policy` changes merge into.
 */
export function registerPolicyShow(policy: Command): void {
  const cmd = policy
    .command('show')
    .description('print the spec in force (defaults filled in, durations in ms) as YAML, or JSON with --json')
    .argument('<model>', 'model id')
    .option('--json', 'print { modelId, specRevision, spec } as JSON')
    .action(async (model: string, _opts: unknown, command: Command) => {
      const ctx = contextOf(command);
      // `policy` has a --json of its own, which takes the flag wherever it is written: read both.
      const opts = command.optsWithGlobals<{ json?: boolean }>();
      const modelId = parseModelId(model);
      const status = await withClient(ctx, async (client) => queryStatus(client, await findFlywheel(client, modelId)));
      if (!status.spec) {
        if (status.spec === undefined)
          throw new CliError(`flywheel:${modelId} does not report its spec (a version older than policy show)`);
        throw new CliError(`flywheel:${modelId} has no spec yet: give it one with flywheel start <spec>`);
      }
      if (opts.json) return outJson({ modelId, specRevision: status.specRevision, spec: status.spec });
      out(`# spec revision ${status.specRevision} in force in flywheel:${modelId} (durations in ms)`);
      out(stringify(status.spec).trimEnd());
    });
  withExamples(cmd, ['flywheel policy show fraud-sea', "flywheel policy show fraud-sea --json | jq '.spec.trigger'"]);
}
