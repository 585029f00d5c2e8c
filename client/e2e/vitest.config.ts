import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: a throwaway server (embedded DB + the built client) driven by Chromium.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['client/e2e/**/*.e2e.ts'],
    globalSetup: ['client/e2e/support/buildClient.ts', 'server/test/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // two files at a time (each its own server and Chromium): a browser test spends most of its
    // time waiting on the page, so two share the 2 cores well (CI time, see .ci/run)
    maxWorkers: 2,
  },
});
