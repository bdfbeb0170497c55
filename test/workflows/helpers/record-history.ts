import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';

const DIR = fileURLToPath(new URL('../../replay/histories/', import.meta.url));

/**
 * With CT_RECORD_REPLAY=1, saves a workflow's history (and its real id: the code reads
 * it) to test/replay/histories/<name>.json for the replay test. A no-op otherwise. The
 * latest run's, or the run `runId` names (a run that continued as new).
 */
export async function recordHistory(client: Client, workflowId: string, name: string, runId?: string): Promise<void> {
  if (process.env.CT_RECORD_REPLAY !== '1') return;
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  mkdirSync(DIR, { recursive: true });
  writeFileSync(`${DIR}${name}.json`, JSON.stringify({ workflowId, history }, null, 1));
}
