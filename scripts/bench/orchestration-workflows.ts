// Workflows of the orchestration benchmark: the project's workflows plus a bare baseline.
import { condition, executeChild, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { bareChildId, bareGoSignal } from './orchestration-bare-fleet.js';

export * from '../../src/workflows/index.js';

// An activity the workers register anyway; the bench's instant version answers at once, so it is a no-op.
const { getChampion } = proxyActivities<{ getChampion(modelId: string): Promise<unknown> }>({
  startToCloseTimeout: '30s',
});

/** The baseline: `n` no-op activities in sequence, nothing else. */
export async function bareActivities(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await getChampion('bench');
}

/**
 * The fleet run's baseline, a flywheel with nothing of ours: waits for one signal, then runs
 * `bareActivities(n)` as its child (no search attributes, memo, queries or validation).
 */
export async function bareParent(n: number): Promise<void> {
  let go = false;
  setHandler(bareGoSignal, () => void (go = true));
  await condition(() => go);
  await executeChild(bareActivities, { workflowId: bareChildId(workflowInfo().workflowId), args: [n] });
}
