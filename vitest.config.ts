import { defineConfig } from 'vitest/config';

// API tests: each file starts its own server over its own embedded engine.
export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'signatures/**/*.test.ts', 'seed/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['server/test/globalSetup.ts'],
    pool: 'forks',
    // three files at a time on 2 cores: the files wait on child processes, engines and fsync much of
    // the time (two workers kept the cores ~75% busy)
    maxWorkers: 3,
    // one module graph per worker, not per file: every file imports the whole server, and
    // re-importing it for each of ~110 files cost a quarter of the run (19 module test files:
    // 703 s instead of 1,091 s side by side). Test files share no state but the module-level
    // registries, which are filled once at import; each file still starts its own servers.
    isolate: false,
  },
});
