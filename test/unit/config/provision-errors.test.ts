import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProvisionError } from '../../../src/local-server/provision-error.js';
import { ensureTemporalCli } from '../../../src/local-server/temporal-cli.js';
import { ensureTestServer } from '../../../scripts/lib/test-server.js';

/** No tools on PATH and an empty cache: what a fresh machine without Go/Java looks like. */
function bareEnv(): NodeJS.ProcessEnv {
  return {
    PATH: join(tmpdir(), 'ct-no-tools-here'),
    CT_FLYWHEEL_CACHE: mkdtempSync(join(tmpdir(), 'ct-empty-cache-')),
  };
}

describe('provisioning without tools', () => {
  it('says how to get a Temporal CLI', async () => {
    const err = await ensureTemporalCli(bareEnv()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProvisionError);
    expect((err as Error).message).toContain('Go >= 1.25');
    expect((err as Error).message).toContain('TEMPORAL_CLI_PATH');
    expect((err as Error).message).toContain('`temporal` CLI');
  });

  it('says how to get the time-skipping test server', async () => {
    const err = await ensureTestServer(bareEnv()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProvisionError);
    expect((err as Error).message).toContain('no `java` and `mvn` on PATH');
    expect((err as Error).message).toContain('Java 17');
    expect((err as Error).message).toContain('TEMPORAL_TEST_SERVER_PATH');
  });

  it('rejects an env var path that is not an executable', async () => {
    const env = { ...bareEnv(), TEMPORAL_CLI_PATH: '/nonexistent/temporal' };
    await expect(ensureTemporalCli(env)).rejects.toThrow(
      'TEMPORAL_CLI_PATH=/nonexistent/temporal is not an executable file',
    );
  });
});
