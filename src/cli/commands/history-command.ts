import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { openModelRegistry } from '../../adapters/registry/index.js';
import { registryConfigFromEnv } from '../../config/registry-config.js';
import type { CycleReport } from '../../domain/flywheel/cycle-report.js';
import type { ModelVersion } from '../../domain/records/model-version.js';
import { withClient } from '../cli-context.js';
import { findFlywheel, parseModelId, queryStatus } from '../flywheel-target.js';
import { historyRows, renderCycleSteps, renderHistory, type HistoryRow } from '../format/history-rows.js';
import { note, out, outJson } from '../format/output.js';
import { contextOf, withExamples } from './command-kit.js';

/** Where the version records are read from: the configured registry (CT_REGISTRY), local under the data dir by default. */
function registrySource(dataDir: string) {
  const config = registryConfigFromEnv();
  const root = path.join(dataDir, 'registry');
  return config.kind === 'mlflow'
    ? { config, root, where: `the MLflow registry at ${config.trackingUri}`, present: true }
    : { config, root, where: `the registry under ${root}`, present: existsSync(root) };
}

/** The model's version records in the configured registry, if there is one. */
async function registryVersions(dataDir: string, modelId: string): Promise<ModelVersion[]> {
  const { config, root, where, present } = registrySource(dataDir);
  if (!present) return [];
  const registry = openModelRegistry(config, root);
  try {
    return await registry.listVersions(modelId);
  } catch (err) {
    // The flywheel's own rows still print; the registry's part says why it is missing.
    note(`(${where} could not be read: ${(err as Error).message})`);
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
        note(
          `(no version records in ${registrySource(ctx.dataDir).where}; pass --data-dir, or CT_REGISTRY=mlflow with CT_MLFLOW_TRACKING_URI, to add stages and metrics)`,
        );
      if (reports) out(renderCycleSteps(reports));
    });
  withExamples(cmd, [
    'flywheel history fraud-sea',
    'flywheel history fraud-sea --steps',
    'flywheel history fraud-sea --json --data-dir /srv/ct-flywheel',
  ]);
}
