// Workflows of the orchestration benchmark: the project's workflows plus a bare baseline.
import { proxyActivities } from '@temporalio/workflow';

export * from '../../src/workflows/index.js';

// An activity the workers register anyway; the bench's instant version answers at once, so it is a no-op.
const { getChampion } = proxyActivities<{ getChampion(modelId: string): Promise<unknown> }>({
  startToCloseTimeout: '30s',
});

/** The baseline: `n` no-op activities in sequence, nothing else. */
export async function bareActivities(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await getChampion('bench');
}
