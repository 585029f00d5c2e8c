import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
// Also printed: the database round trips per request (the driver's commands, by command and
// collection), counted over one request after the timed ones. The load average (as `uptime`
// shows it) is printed at the start and the end: the machine is shared. The client runs in the
// server's process here (one request at a time, so its CPU adds a little to each figure, the same
// in every row; the driver's round-trip counter needs the server in this process).
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
  const load0 = loadavg();
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
    // every request of the sessions bench's mix (bench/sessions.bench.ts), a record page through the first row of its list
    const firstDoc = ((await c.get('/api/v1/documents?pageSize=1')).body.items ?? [])[0]?.id;
    const firstLot = (((await c.get('/api/v1/inventory')).body ?? []) as Array<{ id: string }>)[0]?.id;
    const paths = [
      '/api/v1/auth/me',
      '/api/v1/inventory',
      '/api/v1/tasks',
      '/api/v1/documents?pageSize=20',
      `/api/v1/documents/${firstDoc}`,
      `/api/v1/lots/${firstLot}`,
      '/api/v1/purchase-orders',
      '/api/v1/equipment',
    ];
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
        ` (server ready in ${(readyMs / 1000).toFixed(1)} s${template ? ', from a seeded copy' : ', seeded now'})` +
        `; load average ${fmtLoad(load0)} at the start, ${fmtLoad(loadavg())} at the end`,
    );
    const trips = await roundTrips(paths, (p) => c.get(p));
    const base = median(rows[0][1]);
    for (const [name, ms] of rows)
      console.log(
        `  ${name.padEnd(40)} median ${median(ms).toFixed(1).padStart(6)} ms   p95 ${pct(ms, 0.95).toFixed(1).padStart(6)} ms` +
          `   (${(median(ms) / base).toFixed(1)}x baseline)`,
      );
    console.log('  database round trips per request (one request each):');
    for (const p of paths) {
      const t = trips.get(p) ?? new Map<string, number>();
      const n = [...t.values()].reduce((a, b) => a + b, 0);
      const by = [...t.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`);
      console.log(`  ${p.padEnd(40)} ${String(n).padStart(4)}   ${by.join(', ')}`);
    }
  } finally {
    await running.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The database commands each request sends (`get` called once per path, one at a time), by command and collection. */
async function roundTrips(paths: string[], get: (p: string) => Promise<unknown>) {
  // the driver's wire connection (no exports map: its internal module is importable): every database
  // round trip of the server goes through its `command`
  const wire: string = 'mongodb/lib/cmap/connection.js';
  const { Connection } = (await import(wire)) as { Connection: { prototype: unknown } };
  const proto = Connection.prototype as { command: (...a: unknown[]) => Promise<unknown> };
  const original = proto.command;
  let current = new Map<string, number>();
  proto.command = function (this: unknown, ...a: unknown[]) {
    const cmd = a[1] as Record<string, unknown>;
    const name = Object.keys(cmd)[0];
    const key = `${name} ${String(cmd[name])}`;
    current.set(key, (current.get(key) ?? 0) + 1);
    return original.apply(this, a);
  };
  try {
    const out = new Map<string, Map<string, number>>();
    for (const p of paths) {
      current = new Map();
      await get(p);
      out.set(p, current);
    }
    return out;
  } finally {
    proto.command = original;
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
const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
