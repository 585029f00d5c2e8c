#!/usr/bin/env node
// The `provenant` command. The server is TypeScript run through tsx (no separate build step).
import { register } from 'tsx/esm/api';
register();
const { runCli } = await import('../server/src/cli/index.ts');
process.exitCode = await runCli(process.argv.slice(2));
