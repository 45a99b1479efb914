import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'packages/ui/e2e/**/*.e2e.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // chDB binds one data directory per process; forks keep each test file in its own process.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
