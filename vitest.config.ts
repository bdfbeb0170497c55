import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure (no server, milliseconds); `temporal` gets one
// time-skipping server and one dev server per run from its globalSetup.
export default defineConfig({
  test: {
    // The Temporal worker is a native addon: keep the forks pool.
    pool: 'forks',
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
          // One fork runs the files in turn: each workflow file starts its own time-skipping
          // server (a JVM), every e2e file shares the dev server, and the machine has few cores.
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
