import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { LocalModelRegistry } from '../../adapters/registry/index.js';
import type { CycleReport } from '../../domain/flywheel/cycle-report.js';
import type { ModelVersion } from '../../domain/records/model-version.js';
import { withClient } from '../cli-context.js';
import { findFlywheel, parseModelId, queryStatus } from '../flywheel-target.js';
import { historyRows, renderCycleSteps, renderHistory, type HistoryRow } from '../format/history-rows.js';
import { note, out, outJson } from '../format/output.js';
import { contextOf, withExamples } from './command-kit.js';

/** Manifests of the model's versions in the local registry under the data dir, if there is one. */
async function registryVersions(dataDir: string, modelId: string): Promise<ModelVersion[]> {
  const root = path.join(dataDir, 'registry');
  if (!existsSync(root)) return [];
  const registry = new LocalModelRegistry({ root });
  try {
    return await registry.listVersions(modelId);
  } catch (err) {
    // The flywheel's own rows still print; the registry's part says why it is missing.
    note(`(registry under ${root} could not be read: ${(err as Error).message})`);
    return [];
  } finally {
    registry.close();
  }
}

/** The full report each finished cycle returned (a closed workflow's result is in its history). */
async function cycleReports(
  client: Client,
  rows: readonly HistoryRow[],
): Promise<Record<string, CycleReport | { error: string }>> {
  const entries = await Promise.all(
    rows
      .filter((r) => r.endedAt !== null)
      .map(async (r) => {
        try {
          return [r.workflowId, (await client.workflow.getHandle(r.workflowId).result()) as CycleReport] as const;
        } catch (err) {
          return [r.workflowId, { error: (err as Error).message }] as const;
        }
      }),
  );
  return Object.fromEntries(entries);
}

/** `flywheel history <model>`: the model's training cycles with their outcome, candidate and metrics. */
export function registerHistory(program: Command): void {
  const cmd = program
    .command('history')
    .description(
      "list a model's training cycles: trigger, outcome, candidate version, held-out metric, approval (registry details from --data-dir)",
    )
    .argument('<model>', 'model id')
    .option('--steps', 'also fetch each finished cycle report and show its steps')
    .option('--json', 'print rows (and reports with --steps) as JSON')
    .action(async (model: string, opts: { steps?: boolean; json?: boolean }, command: Command) => {
      const ctx = contextOf(command);
      const modelId = parseModelId(model);
      const { rows, primaryMetric, reports } = await withClient(ctx, async (client) => {
        const target = await findFlywheel(client, modelId);
        const [status, versions] = await Promise.all([
          queryStatus(client, target),
          registryVersions(ctx.dataDir, modelId),
        ]);
        const rows = historyRows(status, versions);
        const spec = target.memo.spec as { primaryMetric?: unknown } | undefined;
        return {
          rows,
          primaryMetric: typeof spec?.primaryMetric === 'string' ? spec.primaryMetric : undefined,
          reports: opts.steps ? await cycleReports(client, rows) : undefined,
        };
      });
      if (opts.json) return outJson({ modelId, cycles: rows, ...(reports ? { reports } : {}) });
      if (rows.length === 0)
        return out(`no training cycles yet for ${modelId}; ask for one with: flywheel retrain ${modelId}`);
      out(renderHistory(rows, primaryMetric));
      if (!rows.some((r) => r.version))
        note(`(no registry manifests under ${ctx.dataDir}; pass --data-dir to add stages and metrics)`);
      if (reports) out(renderCycleSteps(reports));
    });
  withExamples(cmd, [
    'flywheel history fraud-sea',
    'flywheel history fraud-sea --steps',
    'flywheel history fraud-sea --json --data-dir /srv/ct-flywheel',
  ]);
}
