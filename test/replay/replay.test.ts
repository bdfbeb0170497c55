import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { bundleWorkflows } from '../workflows/helpers/bundle.js';

const DIR = fileURLToPath(new URL('./histories/', import.meta.url));

/**
 * Recorded histories of the main paths (re-record with
 * `CT_RECORD_REPLAY=1 npx vitest run --project temporal test/workflows`) replayed against
 * the current workflow code: a change that would break running flywheels fails here and
 * must go behind `patched()`.
 */
describe('replay of recorded histories', () => {
  const files = readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();

  it('has histories for the main paths', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it('replays every history without a determinism violation', async () => {
    const bundle = await bundleWorkflows();
    const histories = files.map((f) => {
      const { workflowId, history } = JSON.parse(readFileSync(`${DIR}${f}`, 'utf8')) as {
        workflowId: string;
        history: unknown;
      };
      // fromObject, not the SDK's historyFromJSON: two protobufjs copies in node_modules break the latter here.
      return {
        workflowId,
        history: proto.temporal.api.history.v1.History.fromObject(history as Record<string, unknown>),
      };
    });
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: bundle, replayName: 'ct-flywheel replay' },
      histories,
    )) {
      replayed++;
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  });
});
