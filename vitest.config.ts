import { defineConfig } from 'vitest/config';

// API tests: each file starts its own server over its own embedded engine.
export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'signatures/**/*.test.ts', 'seed/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['server/test/globalSetup.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
