import { readdirSync } from 'node:fs';
import { bundleWorkflowCode, type BundleOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { fileURLToPath } from 'node:url';

const DOMAIN_DIR = fileURLToPath(new URL('../domain/', import.meta.url));
const FREEZE_SAFE_ZOD = fileURLToPath(new URL('../workflows/shared/freeze-safe-zod.ts', import.meta.url));

/**
 * The modules every workflow worker thread evaluates once and shares between workflow
 * executions (the bundler's `preloadModules`): zod, made safe for the SDK's freezing first,
 * then every module of src/domain (pure: no Temporal API, no per-workflow state, so sharing
 * is safe; every workflow test runs on bundles built this way, so a module that cannot be
 * shared fails them).
 * Without this each new workflow execution rebuilt every zod schema of the domain.
 */
export function workflowPreloadModules(): string[] {
  const domain = readdirSync(DOMAIN_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort()
    .map((f) => `${DOMAIN_DIR}${f}`);
  return [FREEZE_SAFE_ZOD, ...domain];
}

/** The one way the project bundles workflows (workers, tests, benches): with the preload above. */
export function bundleWithPreload(options: BundleOptions): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ ...options, preloadModules: workflowPreloadModules() });
}
