import type { Command } from 'commander';
import { z } from 'zod';
import { FlywheelClient } from '../../clients/flywheel-client.js';
import { flywheelListQuery, type FlywheelListRow } from '../../clients/flywheel-listing.js';
import { FlywheelStage } from '../../domain/search-attributes.js';
import { withClient } from '../cli-context.js';
import { CliError } from '../cli-errors.js';
import { parseNumberOption } from '../flywheel-target.js';
import { isoTime, note, out, outJson, renderTable } from '../format/output.js';
import { shown } from '../format/safe-text.js';
import { contextOf, withExamples } from './command-kit.js';

const STAGES = Object.values(FlywheelStage);

interface ListOptions {
  stage?: string;
  all?: boolean;
  limit: string;
  json?: boolean;
}

function stageOf(raw: string | undefined): FlywheelStage | undefined {
  if (raw === undefined) return undefined;
  if (!(STAGES as string[]).includes(raw)) throw new CliError(`--stage "${raw}": use one of ${STAGES.join(', ')}`);
  return raw as FlywheelStage;
}

function renderList(rows: readonly FlywheelListRow[]): string {
  const spec = (r: FlywheelListRow, key: string) => (r.spec ? shown(r.spec[key]) : '-');
  return renderTable(rows, [
    { header: 'model', value: (r) => r.modelId },
    { header: 'status', value: (r) => r.status },
    { header: 'stage', value: (r) => r.stage ?? '-' },
    { header: 'last trigger', value: (r) => r.lastTrigger ?? '-' },
    { header: 'approval', value: (r) => spec(r, 'approval') },
    { header: 'rollout', value: (r) => spec(r, 'rollout') },
    { header: 'run started', value: (r) => isoTime(r.runStartedAt) },
  ]);
}

/** `flywheel list`: the flywheels of the namespace, from a visibility query (no workflow is queried). */
export function registerList(program: Command): void {
  const cmd = program
    .command('list')
    .description(
      'list the flywheels of the namespace with their stage (idle, or a cycle in flight) and last trigger, from a visibility query',
    )
    .option('--stage <stage>', `only flywheels at this stage: ${STAGES.join(' or ')}`)
    .option('--all', 'closed flywheels too (stopped, terminated); default: running ones')
    .option('--limit <n>', 'at most this many rows', '1000')
    .option('--json', 'print the rows as JSON')
    .addHelpText(
      'after',
      `\nThe query it sends (print it with --json's "query", or run it with temporal workflow list --query):\n  ${flywheelListQuery()}\nThe list is eventually consistent: a flywheel started a second ago may not show yet.`,
    )
    .action(async (opts: ListOptions, command: Command) => {
      const ctx = contextOf(command);
      const filter = { ...(opts.stage ? { stage: stageOf(opts.stage) } : {}), ...(opts.all ? { all: true } : {}) };
      const limit = parseNumberOption('--limit', opts.limit, z.number().int().min(1))!;
      const rows = await withClient(ctx, (client) => new FlywheelClient(client).list(filter, limit));
      if (opts.json) return outJson({ query: flywheelListQuery(filter), flywheels: rows });
      if (rows.length === 0) {
        out(`no ${opts.all ? '' : 'running '}flywheels${opts.stage ? ` at stage ${opts.stage}` : ''}`);
        return note('(start one with: flywheel start <spec>)');
      }
      out(renderList(rows));
      if (rows.length >= limit) note(`(first ${limit}; raise --limit for more)`);
    });
  withExamples(cmd, [
    'flywheel list',
    'flywheel list --stage cycle',
    "flywheel list --all --json | jq '.flywheels[].modelId'",
  ]);
}
