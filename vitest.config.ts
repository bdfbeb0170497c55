import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The Temporal worker is a native addon: keep the forks pool.
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    setupFiles: ['test/setup-runtime.ts'],
  },
});
