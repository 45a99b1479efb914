import { defineConfig } from 'vitest/config';

export default defineConfig({
  // In this repository `@argus/sdk` resolves to its TypeScript sources (its `@argus/source` export
  // condition), so tests never need a build; installed copies use dist/. The rest are Vitest's
  // defaults for Node. Vitest also passes these to its workers as `--conditions`.
  ssr: { resolve: { conditions: ['@argus/source', 'node', 'development|production'] } },
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
