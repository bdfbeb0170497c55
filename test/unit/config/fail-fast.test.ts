import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/connection-main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

/** Runs the fixture entrypoint as a real process, as a user would run a worker. */
function runEntrypoint(env: Record<string, string>, entrypoint = FIXTURE) {
  const { TEMPORAL_ADDRESS: _a, TEMPORAL_API_KEY: _k, ...base } = process.env;
  const result = spawnSync(TSX, [entrypoint], { env: { ...base, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('runMain at an entrypoint', () => {
  it('prints a bad config as field + reason, without a stack trace, and exits 1', () => {
    const { code, stdout, stderr } = runEntrypoint({ TEMPORAL_ADDRESS: 'localhost' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('ConfigError: Invalid Temporal connection config');
    expect(stderr).toContain('address (TEMPORAL_ADDRESS): must be host:port');
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('keeps the stack for unexpected errors, since those are bugs', () => {
    const { code, stderr } = runEntrypoint({ FIXTURE_MODE: 'bug' });
    expect(code).toBe(1);
    expect(stderr).toContain('TypeError: simulated bug');
    expect(stderr).toMatch(/^\s+at /m);
  });

  it.each(['orchestration-worker', 'training-worker'])(
    'the %s entrypoint exits 1 on a bad config instead of hanging',
    (name) => {
      const worker = fileURLToPath(new URL(`../../../src/workers/${name}.ts`, import.meta.url));
      const { code, stderr } = runEntrypoint(
        { TEMPORAL_ADDRESS: 'localhost', CT_MAX_CONCURRENT_TRAININGS: 'abc' },
        worker,
      );
      expect(code).toBe(1); // a hang would end in the spawn timeout with a null status
      expect(stderr).toContain('(CT_MAX_CONCURRENT_TRAININGS)');
      expect(stderr).not.toMatch(/^\s+at /m);
    },
  );

  it('runs normally with a good config', () => {
    const { code, stdout } = runEntrypoint({ TEMPORAL_ADDRESS: '127.0.0.1:7233' });
    expect(code).toBe(0);
    expect(stdout).toBe('ok 127.0.0.1:7233 default\n');
  });
});
