// `npm run bench -- <name> [--events N]`: runs bench/<name>.ts and prints its figures.
const [name, ...rest] = process.argv.slice(2);
const benches: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  ledger: () => import('./ledger.ts'),
  documents: () => import('./documents.ts'),
  pdf: () => import('./pdf.ts'),
  designTraceMatrix: () => import('./designTraceMatrix.bench.ts'),
  requestCosts: () => import('./requestCosts.bench.ts'),
  ledgerVerify: () => import('./ledgerVerify.bench.ts'),
  startup: () => import('./startup.bench.ts'),
  traceForward: () => import('./traceForward.bench.ts'),
  sessions: () => import('./sessions.bench.ts'),
};
if (!name || !benches[name]) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join('|')}> [options]`);
  process.exit(2);
}
await (await benches[name]()).run(rest);
process.exit(0);
