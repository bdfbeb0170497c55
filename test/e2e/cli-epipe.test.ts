import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flywheelWorkflowId } from '../../src/contracts/model-flywheel.js';
import { devServerEnv } from '../support/dev-server-env.js';
import { uniqueId } from '../support/smoke-worker.js';
import { devServerArgs, spawnFlywheel, specYaml } from './cli-support.js';

/**
 * `flywheel start m.yaml | head -1`: the reader goes away while the CLI still writes. The
 * command must finish what it was asked to do and exit without an EPIPE stack trace.
 */
describe('flywheel piped into a reader that closes early', () => {
  let env: TestWorkflowEnvironment;
  let root: string;
  beforeAll(async () => {
    env = await devServerEnv();
    root = await mkdtemp(join(tmpdir(), 'cli-epipe-'));
  });
  afterAll(async () => {
    await env?.teardown();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('start exits 0 with nothing on stderr when stdout is closed before it writes, and the flywheel is started', async () => {
    const model = uniqueId('epipe').toLowerCase();
    const specFile = join(root, `${model}.yaml`);
    await writeFile(specFile, specYaml(model));
    // No worker needed: `start` only signals-with-start; the workflow waits for one.
    const child = spawnFlywheel([
      ...devServerArgs(),
      'start',
      specFile,
      '--no-monitor',
      '--task-queue',
      uniqueId('epipe-tq'),
    ]);
    // Close our end of the pipe at once, as `| head -0` would: every write of the CLI then gets EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const handle = env.client.workflow.getHandle(flywheelWorkflowId(model));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await handle.terminate('test done');
  });
});
