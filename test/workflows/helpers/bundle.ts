import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { inject } from 'vitest';
import { WORKFLOWS_ENTRY } from '../../../src/workers/start-workers.js';
import { bundleWithPreload } from '../../../src/workers/workflow-preload.js';
import '../../support/provided-context.js';

const quiet = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => process.stderr.write(`[bundler] ${m}\n`),
  error: (m: string) => process.stderr.write(`[bundler] ${m}\n`),
};

/**
 * Bundles the project's workflows from the workers' one entry (in a file's beforeAll); a
 * test's own workflows from `workflowsPath`.
 *
 * Bundling (webpack) costs 2.5–4 s of CPU and some 30 files of the `temporal` project need a
 * bundle of the same few entries, so the first file to bundle an entry leaves it in the run's
 * bundle folder (made by test/support/global-setup.ts, removed when the run ends) and the
 * others read it back. The source does not change during a run, so the bundle is the one
 * every file would have built. Outside the `temporal` project there is no folder: bundle.
 */
export async function bundleWorkflows(workflowsPath: string = WORKFLOWS_ENTRY): Promise<WorkflowBundleWithSourceMap> {
  const dir = inject('workflowBundleDir');
  if (!dir) return bundleWithPreload({ workflowsPath, logger: quiet });
  const file = join(dir, `${createHash('sha256').update(workflowsPath).digest('hex').slice(0, 16)}.json`);
  const cached = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (cached !== undefined) return JSON.parse(cached) as WorkflowBundleWithSourceMap;
  const bundle = await bundleWithPreload({ workflowsPath, logger: quiet });
  // Two files bundling the same entry at once both write; the rename makes either one whole.
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, JSON.stringify(bundle));
  await rename(partial, file);
  return bundle;
}
