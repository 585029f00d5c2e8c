import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startServer } from '../server/src/main.ts';
import { TEST_ENV } from '../server/test/harness.ts';
import { fillSyntheticEvents } from './syntheticFill.ts';

// Start-up to ready with a large ledger (issue 14 item 6: 1M events, target <= 10 s), and the
// memory the server holds for them. A data directory is made by a first start on an empty
// database (keys, PKI, indexes), then filled straight in the engine with N chained events
// (N from --events or STARTUP_EVENTS, default 1M; about 1 % of the streams' worth of events each,
// as syntheticEvents makes them; their seal is a placeholder: start-up does not check seals).
// Then, each in its own process (so RSS is the server's alone): start on the empty copy and on the
// filled one, timing startServer → listening, and → the first `/api/v1/health` answer; RSS and
// heap after a GC; then the checks start-up leaves to run while the server answers (the scan of
// every stream's head, the projection check): when they are done, RSS and heap then, and the
// process's peak RSS. "Held per 1M events" = (filled − empty) after the checks, scaled to 1M.
const here = fileURLToPath(import.meta.url);
const env = (dir: string) => ({ ...TEST_ENV(), DATA_DIR: dir, PROVENANT_SEED: 'never' });

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      events: { type: 'string', default: process.env.STARTUP_EVENTS ?? '1000000' },
      streams: { type: 'string' },
    },
  });
  const total = Number(values.events);
  const streams = Number(values.streams ?? Math.max(1, Math.round(total / 100)));
  const empty = mkdtempSync(path.join(tmpdir(), 'provenant-bench-startup-empty-'));
  const full = mkdtempSync(path.join(tmpdir(), 'provenant-bench-startup-full-'));
  try {
    for (const dir of [empty, full]) await (await startServer(env(dir), { quiet: true })).stop();
    const fillMs = await fillSyntheticEvents(full, total, streams);
    const phase = (dir: string) =>
      JSON.parse(
        execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', here, dir], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        })
          .trim()
          .split('\n')
          .at(-1)!,
      ) as {
        readyMs: number;
        healthMs: number;
        rssMb: number;
        heapMb: number;
        checksMs: number;
        settledRssMb: number;
        settledHeapMb: number;
        peakRssMb: number;
      };
    const e = phase(empty);
    const f = phase(full);
    console.log(
      `start-up bench: ${total.toLocaleString('en')} events in ${streams.toLocaleString('en')} streams ` +
        `(filled in ${(fillMs / 1000).toFixed(1)} s), embedded FerretDB/SQLite`,
    );
    for (const [name, r] of [
      ['empty database', e],
      [`${total.toLocaleString('en')} events`, f],
    ] as const)
      console.log(
        `  ${name.padEnd(18)} ready ${(r.readyMs / 1000).toFixed(1).padStart(6)} s   /health ${(r.healthMs / 1000).toFixed(1).padStart(6)} s` +
          `   RSS ${r.rssMb.toFixed(0).padStart(5)} MB   heap ${r.heapMb.toFixed(0).padStart(5)} MB` +
          `   | background checks (heads, projections) done at ${(r.checksMs / 1000).toFixed(1)} s: RSS ${r.settledRssMb.toFixed(0)} MB, heap ${r.settledHeapMb.toFixed(0)} MB, peak RSS ${r.peakRssMb.toFixed(0)} MB`,
      );
    const per = 1_000_000 / total;
    console.log(
      `  held per 1M events (after the checks): RSS ${((f.settledRssMb - e.settledRssMb) * per).toFixed(0)} MB, heap ${((f.settledHeapMb - e.settledHeapMb) * per).toFixed(0)} MB` +
        `   start-up with ${total.toLocaleString('en')} events: ${(f.healthMs / 1000).toFixed(1)} s, target <= 10 s ${f.healthMs <= 10_000 ? 'PASS' : 'MISS'}`,
    );
  } finally {
    for (const dir of [empty, full]) rmSync(dir, { recursive: true, force: true });
  }
}

async function phaseMain(dir: string) {
  const t0 = performance.now();
  const running = await startServer(env(dir), { quiet: true });
  const readyMs = performance.now() - t0;
  const r = await fetch(running.url + '/api/v1/health');
  if (r.status !== 200) throw new Error(`/health answered ${r.status}`);
  const healthMs = performance.now() - t0;
  const gc = () => (globalThis as { gc?: () => void }).gc?.();
  gc();
  const m = process.memoryUsage();
  // the checks start-up leaves to run while the server answers: the scan of heads and the projection check
  await running.booted.settled;
  const checksMs = performance.now() - t0;
  gc();
  const settled = process.memoryUsage();
  console.log(
    JSON.stringify({
      readyMs,
      healthMs,
      rssMb: m.rss / 2 ** 20,
      heapMb: m.heapUsed / 2 ** 20,
      checksMs,
      settledRssMb: settled.rss / 2 ** 20,
      settledHeapMb: settled.heapUsed / 2 ** 20,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
  await running.stop();
}

if (process.argv[1] === here) {
  await phaseMain(process.argv[2]);
  process.exit(0);
}
