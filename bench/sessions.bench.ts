import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from '../server/src/main.ts';
import { randomUUID } from 'node:crypto';
import type { Services } from '../server/src/platform/services.ts';
import { DEMO_PASSWORD, TEST_ENV, as, type Client } from '../server/test/harness.ts';
import { fillSyntheticEvents } from './syntheticFill.ts';
import { startEmbeddedEngine } from '../server/src/platform/db/engine.ts';
import { connectDatabase } from '../server/src/platform/db/mongo.ts';
import { EVENTS, eventId } from '../server/src/ledger/ledger.ts';
import { canonicalCopy, GENESIS_HASH, hashEvent, type LedgerEvent } from '../server/src/ledger/event.ts';
import { recordTypeOf, streamId } from '../server/src/records/registry.ts';
import { fold } from '../server/src/records/projector.ts';

// Many signed-in sessions at once (issue 14 item 6): each session sends one request every
// `think` ms (2 s: 200 sessions ≈ 100 requests/s) from a realistic mix — list screens, record
// pages, the task inbox, the session check, and 3% signed writes (preventive maintenance recorded
// by e-signature, which checks the password and seals the signature) — for `seconds`. Printed:
// p50/p95/p99 and errors for 1 session and for N sessions in the same run (the baseline), and the
// saturation throughput of N sessions with no think time (closed loop). Runs on the demo company
// (`--data DIR` reuses a seeded data directory, copied, never written; otherwise it is seeded).
// `--docs N` adds N draft documents to the demo company first (the ledger event the document
// command writes, appended directly as bench/documents.ts does), for the figure "against N documents".
// `--keep DIR` works in DIR and leaves it there, for later runs with `--data DIR`.
// `--events N` fills the ledger up to N events first (chained events of no record type, written
// straight into the engine as bench/startup.bench.ts does; the documents count towards N), then
// seals a checkpoint over them all, as a plant's hourly checkpoints would have (a first signature
// must not be the one that covers a million uncheckpointed events).
// The server runs in a child process of its own (and the engine in its own, as always): the load
// generator's CPU (200 clients' HTTP and JSON) is not counted in the server's latency. Printed
// beside each figure: the load average (as `uptime` shows it) and the CPU the server process and
// the engine process used during the phase (percent of one core). `--prof DIR` runs the server
// with `node --cpu-prof` and writes its profile into DIR.
const USERS = ['qa.manager', 'qa.engineer', 'author', 'reviewer', 'reviewer2', 'prod.supervisor', 'warehouse'];

interface Sample {
  ms: number;
  ok: boolean;
  /** which request of the mix */
  kind: string;
}
type Step = (c: Client) => Promise<number>;
type Pick = (c: Client) => { kind: string; run: Promise<number> };

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      sessions: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '30' },
      think: { type: 'string', default: '2000' },
      data: { type: 'string' },
      docs: { type: 'string', default: '0' },
      events: { type: 'string', default: '0' },
      prof: { type: 'string' },
      keep: { type: 'string' },
    },
  });
  const sessions = Number(values.sessions);
  const seconds = Number(values.seconds);
  const think = Number(values.think);
  // --keep DIR: work in DIR and leave it (a large database made once, then reused with --data DIR)
  const dir = values.keep ? path.resolve(values.keep) : mkdtempSync(path.join(tmpdir(), 'provenant-bench-sessions-'));
  const template = values.data ?? process.env.PROVENANT_TEST_TEMPLATE;
  if (template && existsSync(template)) cpSync(template, dir, { recursive: true });
  const docs0 = Number(values.docs);
  const events0 = Number(values.events);
  let filled = 0;
  if (events0 > 0) {
    // seeded (or copied) first, so the synthetic events join a real company's ledger
    if (!template)
      await (await startServer({ ...TEST_ENV(), DATA_DIR: dir, PROVENANT_SEED: 'auto' }, { quiet: true })).stop();
    filled = Math.max(0, events0 - docs0 - (await countEvents(dir)));
    const ms = await fillSyntheticEvents(dir, filled, Math.max(1, Math.round(filled / 100)));
    console.log(`  filled ${filled.toLocaleString('en')} synthetic events in ${(ms / 1000).toFixed(0)} s`);
  }
  const running = await serverProcess(dir, docs0, values.prof);
  try {
    const url = running.url;
    if (docs0 > 0) console.log(`  added ${docs0} documents in ${running.addedSeconds.toFixed(0)} s`);
    const admin = await as(url, 'qa.manager');
    const docs = ((await admin.get('/api/v1/documents?pageSize=50')).body.items ?? []) as Array<{ id: string }>;
    const lots = ((await admin.get('/api/v1/inventory')).body ?? []) as Array<{ id: string }>;
    const sup = await as(url, 'prod.supervisor');
    const equipment = (await sup.get('/api/v1/equipment')).body as Array<Equipment>;
    if (!docs.length || !lots.length || !equipment.length)
      throw new Error(`the demo company lacks documents (${docs.length}), lots (${lots.length}) or equipment`);
    // every instrument gets a maintenance plan (a throwaway copy of the demo), so the signed writes spread over them
    const planned: Equipment[] = [];
    for (const q of equipment) {
      const r = await admin.put(`/api/v1/equipment/${q.id}/maintenance-plan`, {
        intervalDays: 30,
        checklist: [{ zh: '外观检查', en: 'Visual check' }],
        lastMaintainedOn: new Date().toISOString().slice(0, 10),
      });
      if (r.status === 200) planned.push(r.body as Equipment);
    }
    if (!planned.length) throw new Error('no instrument took a maintenance plan');
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
    const get =
      (p: () => string): Step =>
      async (c) =>
        (await c.get(p())).status;
    // the mix: weights out of 100 (3 signed writes)
    const mix: Array<[number, string, Step]> = [
      [20, 'inbox', get(() => '/api/v1/tasks')],
      [15, 'document list', get(() => '/api/v1/documents?pageSize=20')],
      [15, 'document page', get(() => `/api/v1/documents/${pick(docs).id}`)],
      [12, 'inventory', get(() => '/api/v1/inventory')],
      [12, 'lot page', get(() => `/api/v1/lots/${pick(lots).id}`)],
      [8, 'PO list', get(() => '/api/v1/purchase-orders')],
      [8, 'equipment list', get(() => '/api/v1/equipment')],
      [7, 'session check', get(() => '/api/v1/auth/me')],
      [3, 'signed write', (c) => maintain(c, pick(planned))],
    ];
    const total = mix.reduce((n, [w]) => n + w, 0);
    const step: Pick = (c: Client) => {
      let r = Math.random() * total;
      for (const [w, kind, f] of mix) if ((r -= w) < 0) return { kind, run: f(c) };
      return { kind: mix[0][1], run: mix[0][2](c) };
    };
    const writers = new Map<string, Client>([['prod.supervisor', sup]]);
    const maintain = async (_c: Client, q: Equipment) => {
      // the supervisor holds equipment.maintain: their session signs (each session signs as itself in a
      // real plant; here one signer keeps the signed writes on one role that may make them)
      const c = writers.get('prod.supervisor')!;
      const today = new Date().toISOString().slice(0, 10);
      const r = await c.post(`/api/v1/equipment/${q.id}/maintenance`, {
        date: today,
        checks: q.maintenancePlan!.checklist.map((i) => ({ id: i.id, ok: true })),
        findings: 'bench',
        parts: [],
        password: DEMO_PASSWORD,
      });
      return r.status === 409 ? 200 : r.status; // two sessions racing on one instrument: the loser is told, not failed
    };

    const clients: Client[] = [];
    for (let i = 0; i < sessions; i++) clients.push(await as(url, USERS[i % USERS.length]));
    const phase = async (clientsOf: Client[], s: number, t: number) => {
      const cpu0 = running.cpu();
      const t0 = performance.now();
      const samples = await load(clientsOf, step, s, t);
      return { samples, cpu: cpuShare(cpu0, running.cpu(), performance.now() - t0), load: loadavg() };
    };
    const one = await phase([clients[0]], seconds, think);
    const many = await phase(clients, seconds, think);
    const closed = await phase(clients, Math.min(seconds, 20), 0);
    console.log(
      `sessions: demo company${docs0 ? ` + ${docs0} documents` : ''}${filled ? ` + ${filled.toLocaleString('en')} synthetic events` : ''}, mix of lists, record pages, inbox, session check and 3% signed writes; ${seconds} s each` +
        ` (server in its own process; load average at the start ${fmtLoad(load0)})`,
    );
    report(`1 session, one request every ${think} ms`, one, seconds);
    report(`${sessions} sessions, one request every ${think} ms each`, many, seconds);
    report(`${sessions} sessions, no think time (saturation)`, closed, Math.min(seconds, 20));
    console.log(`  by request, ${sessions} sessions with think time:`);
    for (const [, kind] of mix) {
      const xs = many.samples.filter((x) => x.kind === kind);
      console.log(
        `    ${kind.padEnd(16)} ${String(xs.length).padStart(6)} requests   p50 ${pct(xs, 0.5).toFixed(0).padStart(5)} ms` +
          `   p99 ${pct(xs, 0.99).toFixed(0).padStart(5)} ms`,
      );
    }
    console.log(
      `  p99 ${sessions} sessions ÷ p99 1 session: ${(pct(many.samples, 0.99) / pct(one.samples, 0.99)).toFixed(1)}x`,
    );
  } finally {
    await running.stop();
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

const load0 = loadavg();
const fmtLoad = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');

interface ServerProcess {
  url: string;
  pid: number;
  addedSeconds: number;
  /** CPU seconds used so far by the server process and by its engine (its child processes). */
  cpu(): { server: number; engine: number };
  stop(): Promise<void>;
}

/** Starts the server (seeding the demo company if `dir` is empty) in a child process of its own. */
async function serverProcess(dir: string, docs: number, prof?: string): Promise<ServerProcess> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve', dir, String(docs)], {
    execArgv: ['--import', 'tsx', ...(prof ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(prof)}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ url: string; addedSeconds: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; addedSeconds: number }));
    child.once('exit', (code) => reject(new Error(`the server process exited (${code}) before it was ready`)));
  });
  const pid = child.pid!;
  return {
    ...ready,
    pid,
    cpu: () => {
      const engine = descendants(pid).reduce((n, p) => n + cpuSeconds(p), 0);
      return { server: cpuSeconds(pid), engine };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

/** user + system CPU seconds of a process (/proc/<pid>/stat, in clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}
function descendants(pid: number): number[] {
  let kids: number[] = [];
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return kids.flatMap((k) => [k, ...descendants(k)]);
}
function cpuShare(a: { server: number; engine: number }, b: { server: number; engine: number }, ms: number) {
  return { server: (100 * (b.server - a.server) * 1000) / ms, engine: (100 * (b.engine - a.engine) * 1000) / ms };
}

/** The child: serves until the parent says stop. */
async function serve(dir: string, docs: number) {
  const env = { ...TEST_ENV(), DATA_DIR: dir, PROVENANT_SEED: 'auto', SESSION_IDLE_MINUTES: '30' };
  let running = await startServer(env, { quiet: true });
  const t0 = performance.now();
  if (docs > 0) {
    await running.booted.settled;
    await addDocuments(running.booted.services, docs);
    console.log(`  wrote ${docs} documents in ${((performance.now() - t0) / 1000).toFixed(0)} s; restarting`);
    await running.stop();
    running = await startServer(env, { quiet: true });
  }
  // everything written so far under a checkpoint (as the hourly checkpoints of a real plant would have it)
  await running.booted.settled;
  await running.booted.services.checkpointer.create();
  process.on('message', (m) => {
    if (m === 'stop') void running.stop().finally(() => process.exit(0));
  });
  process.on('disconnect', () => void running.stop().finally(() => process.exit(0)));
  process.send!({ url: running.url, addedSeconds: (performance.now() - t0) / 1000 });
}
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--serve')
  await serve(process.argv[3], Number(process.argv[4]));

/**
 * N draft documents owned by the demo author, reviewed by the reviewer, approved by the QA
 * manager: the `document.created` event the document command writes, chained, hashed and sealed
 * with this server's key as the ledger does, and its projection folded by the record type's own
 * reducer, written in batches (one append at a time took ~40 ms a document: 100k in an hour).
 * The caller restarts the server, which learns the heads and indexes as after any write.
 */
async function addDocuments(s: Services, n: number) {
  const users = s.db.collection<{ _id: string; username: string; fullName: string }>('users');
  const [author, reviewer, approver] = await Promise.all(
    ['author', 'reviewer', 'qa.manager'].map(async (u) => {
      const d = await users.findOne({ username: u });
      if (!d) throw new Error(`the demo company has no user ${u}`);
      return { id: d._id, name: d.fullName };
    }),
  );
  const TYPES = ['policy', 'sop', 'work_instruction', 'form', 'specification'];
  const type = recordTypeOf('document:x')!;
  const sealer = s.ledger.sealer!;
  for (let from = 0; from < n; from += 2000) {
    const events: object[] = [];
    const rows: object[] = [];
    for (let i = from; i < Math.min(n, from + 2000); i++) {
      const kind = TYPES[i % TYPES.length];
      const stream = `document:${randomUUID()}`;
      const body = {
        stream,
        version: 1,
        type: 'document.created',
        at: new Date().toISOString(),
        actor: canonicalCopy({ ...author, role: 'document_author' }),
        data: canonicalCopy({
          number: `${kind.toUpperCase().slice(0, 3)}-BENCH-${String(i).padStart(6, '0')}`,
          type: kind,
          title: { zh: `基准程序 ${i}`, en: `bench procedure ${i}` },
          summary: { zh: '基准测试文件', en: 'benchmark document' },
          owner: author,
          department: 'QA',
          reviewers: [reviewer],
          approvers: [approver],
          trainees: { roles: ['operator'], users: [] },
          reviewIntervalMonths: 24,
        }),
        prevHash: GENESIS_HASH,
      };
      const hash = hashEvent(body);
      const event = { ...body, hash, seal: sealer.seal(hash) } as LedgerEvent;
      events.push({ _id: eventId(stream, 1), ...event });
      rows.push({ ...fold(type, [event]), _id: streamId(stream), ledgerVersion: 1 });
    }
    await s.db.collection(EVENTS).insertMany(events as never[], { ordered: false });
    await s.db.collection(type.collection).insertMany(rows as never[], { ordered: false });
  }
}

interface Equipment {
  id: string;
  maintenancePlan: { checklist: Array<{ id: string }> } | null;
}

/** Every client loops: request, then wait `think` ms (less the request's own time), until time is up. */
async function load(clients: Client[], step: Pick, seconds: number, think: number): Promise<Sample[]> {
  const out: Sample[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    clients.map(async (c, i) => {
      if (think) await sleep((think * i) / clients.length); // spread the first requests over one think time
      while (performance.now() < end) {
        const t = performance.now();
        let ok = false;
        const { kind, run } = step(c);
        try {
          ok = (await run) < 400;
        } catch {
          ok = false;
        }
        const ms = performance.now() - t;
        out.push({ ms, ok, kind });
        if (think) await sleep(Math.max(0, think - ms));
      }
    }),
  );
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function pct(xs: Sample[], p: number) {
  const s = xs.map((x) => x.ms).sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
}
function report(
  name: string,
  r: { samples: Sample[]; cpu: { server: number; engine: number }; load: number[] },
  seconds: number,
) {
  const xs = r.samples;
  const errors = xs.filter((x) => !x.ok).length;
  console.log(
    `  ${name.padEnd(52)} ${(xs.length / seconds).toFixed(1).padStart(6)} req/s   p50 ${pct(xs, 0.5).toFixed(0).padStart(5)} ms` +
      `   p95 ${pct(xs, 0.95).toFixed(0).padStart(5)} ms   p99 ${pct(xs, 0.99).toFixed(0).padStart(5)} ms   errors ${errors}` +
      `   cpu server ${r.cpu.server.toFixed(0)}% engine ${r.cpu.engine.toFixed(0)}%   load ${fmtLoad(r.load)}`,
  );
}

/** The events in the ledger of the stopped data directory `dir`. */
async function countEvents(dir: string): Promise<number> {
  const engine = await startEmbeddedEngine({ dataDir: dir });
  const database = await connectDatabase(engine.uri, 'provenant');
  try {
    return await database.db.collection(EVENTS).estimatedDocumentCount();
  } finally {
    await database.close();
    await engine.stop();
  }
}
