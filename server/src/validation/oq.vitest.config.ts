import { defineConfig } from 'vitest/config';

// The OQ run (server/src/validation/oq.ts): the API test configuration with a global setup that
// reuses a seeded template when the caller has one.
export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'signatures/**/*.test.ts', 'seed/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['server/src/validation/oqGlobalSetup.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
