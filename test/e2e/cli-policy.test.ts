import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flywheelWorkflowId, statusQuery } from '../../src/contracts/model-flywheel.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { uniqueId } from '../support/smoke-worker.js';
import { startTestWorkers } from '../support/test-workers.js';
import { bundleWorkflows } from '../workflows/helpers/bundle.js';
import { flywheelDev, specYaml } from './cli-support.js';

/**
 * `flywheel policy` through the real binary against the shared dev server, with an
 * orchestration worker in this process (no cycle runs, so no activities are needed).
 */
describe('flywheel policy against the dev server', () => {
  let env: TestWorkflowEnvironment;
  let root: string;
  let stopWorker: () => Promise<void>;
  const model = uniqueId('policy').toLowerCase();
  const taskQueue = uniqueId('policy-orch');

  beforeAll(async () => {
    const [e, bundle] = await Promise.all([devServerEnv(), bundleWorkflows()]);
    env = e;
    root = await mkdtemp(join(tmpdir(), 'cli-policy-'));
    const workers = await startTestWorkers(env, { taskQueue, bundle });
    stopWorker = () => workers.stop();
  });

  afterAll(async () => {
    await env?.client.workflow
      .getHandle(flywheelWorkflowId(model))
      .terminate('cli policy e2e done')
      .catch(() => undefined);
    await stopWorker?.();
    await env?.teardown();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('prints the new revision, then unchanged; a bad field is refused in one line with exit 1 and changes nothing', async () => {
    const specFile = join(root, `${model}.yaml`);
    await writeFile(specFile, specYaml(model));
    const started = await flywheelDev(['start', specFile, '--task-queue', taskQueue, '--no-monitor']);
    expect(started.code, started.stderr).toBe(0);

    const trigger = JSON.stringify({ debounceMs: '5m', cooldownMs: '2h', floors: { drift: 0.2 } });
    const changed = await flywheelDev([
      'policy',
      model,
      '--trigger',
      trigger,
      '--as',
      'ana',
      '--reason',
      'noisier feed',
    ]);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain(
      `flywheel:${model}: spec revision 2 (changed: trigger)\ndecision: idle: nothing pending`,
    );

    const same = await flywheelDev(['policy', model, '--trigger', trigger, '--json']);
    expect(same.code, same.stderr).toBe(0);
    expect(JSON.parse(same.stdout)).toMatchObject({
      workflowId: `flywheel:${model}`,
      outcome: 'unchanged',
      specRevision: 2,
      changed: [],
    });

    // Sections merge into the spec in force (which has an approver): emptying the list is what leaves none.
    const refused = await flywheelDev(['policy', model, '--approval', '{"mode":"manual","approvers":[]}']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `flywheel: Refused by flywheel:${model}: invalid policy update: approval.approvers: mode manual needs at least one approver; fix the field(s) named and send the update again\n`,
    );

    const status = await env.client.workflow.getHandle(flywheelWorkflowId(model)).query(statusQuery.definition);
    expect(status.specRevision).toBe(2);
    expect(status.rejectedInputs.count).toBe(0);
  });
});
