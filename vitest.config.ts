import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure (no server, milliseconds); `temporal` gets one dev server per
// run from its globalSetup, and each workflow file starts its own time-skipping server.
export default defineConfig({
  test: {
    // The Temporal worker is a native addon: keep the forks pool.
    pool: 'forks',
    // Test files of both projects share one queue of forks, longest first (vitest keeps the
    // durations of the last run). Vitest's own default, one fork fewer than cores, is a
    // single fork on 2 cores, and the files spend much of their time waiting on servers,
    // subprocesses and real timers, so 2 cores run 2 forks (more cores: one fewer than cores,
    // at most 4). Every file already runs on its own task queues and ports, and the e2e files
    // on the shared dev server use unique ids, as when several people's runs share a machine.
    maxWorkers: Math.min(4, Math.max(2, availableParallelism() - 1)),
    // Root-only option (not allowed per project): room for stopping the Temporal servers.
    teardownTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        extends: true,
        test: {
          name: 'temporal',
          include: ['test/workflows/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/replay/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          setupFiles: ['test/support/setup-runtime.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
