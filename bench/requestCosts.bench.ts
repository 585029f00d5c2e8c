import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../server/src/main.ts';
import { TEST_ENV, as } from '../server/test/harness.ts';

// Per-request costs on the demo database (issue 14 item 6): `GET /auth/me` (session check only),
// `/inventory` and `/tasks`, each `requests` times in a row from one signed-in session, median and
// p95 through HTTP. Baseline in the same run: `GET /api/v1/health`-like unauthenticated request
// (`/auth/me` without a cookie, which answers 401 without touching the session store), so the
// figures read as "what the work adds over the HTTP round trip". `--data DIR` reuses a seeded
// data directory (copied, never written); otherwise the demo company is seeded first (~1 min).
export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      requests: { type: 'string', default: '200' },
      data: { type: 'string' },
      user: { type: 'string', default: 'qa.manager' },
    },
  });
  const n = Number(values.requests);
  const dir = mkdtempSync(path.join(tmpdir(), 'provenant-bench-requests-'));
  const template = values.data ?? process.env.PROVENANT_TEST_TEMPLATE;
  if (template && existsSync(template)) cpSync(template, dir, { recursive: true });
  const t0 = performance.now();
  const running = await startServer(
    { ...TEST_ENV(), DATA_DIR: dir, PROVENANT_SEED: 'auto', SESSION_IDLE_MINUTES: '30' },
    { quiet: true },
  );
  const readyMs = performance.now() - t0;
  try {
    const c = await as(running.url, values.user!);
    const anon = async () => {
      await fetch(running.url + '/api/v1/auth/me');
    };
    const paths = ['/api/v1/auth/me', '/api/v1/inventory', '/api/v1/tasks'];
    const rows: Array<[string, number[]]> = [['baseline: /auth/me, no session (401)', await timed(n, anon)]];
    for (const p of paths)
      rows.push([
        p,
        await timed(n, async () => {
          const r = await c.get(p);
          if (r.status !== 200) throw new Error(`${p}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        }),
      ]);
    console.log(
      `request costs: ${n} sequential requests each, one session (${values.user}), demo database` +
        ` (server ready in ${(readyMs / 1000).toFixed(1)} s${template ? ', from a seeded copy' : ', seeded now'})`,
    );
    const base = median(rows[0][1]);
    for (const [name, ms] of rows)
      console.log(
        `  ${name.padEnd(40)} median ${median(ms).toFixed(1).padStart(6)} ms   p95 ${pct(ms, 0.95).toFixed(1).padStart(6)} ms` +
          `   (${(median(ms) / base).toFixed(1)}x baseline)`,
      );
  } finally {
    await running.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timed(n: number, f: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < Math.min(10, n); i++) await f(); // warm-up: caches, JIT
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f();
    out.push(performance.now() - t);
  }
  return out;
}
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const median = (xs: number[]) => pct(xs, 0.5);
