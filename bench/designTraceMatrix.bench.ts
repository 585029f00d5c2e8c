import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { loadConfig } from '../server/src/platform/config.ts';
import { boot } from '../server/src/boot.ts';
import { createApp } from '../server/src/app.ts';
import { createUser } from '../server/src/identity/userService.ts';
import { toSessionUser } from '../server/src/identity/authenticate.ts';
import { requestContext, SYSTEM_ACTOR } from '../server/src/platform/context.ts';
import { createItem } from '../server/src/modules/items/service.ts';
import { createElement, createProject, projectTrace, traceElements } from '../server/src/modules/design/service.ts';
import { graphOf } from '../server/src/modules/design/links.ts';
import { designLinkEvents, type ElementKind } from '../server/src/modules/design/events.ts';
import { gapCheck, traceMatrix } from '../server/src/modules/design/trace.ts';
import { Client } from '../server/test/harness.ts';

// The live trace matrix at the issue's size (issue 12: 2,000 elements and 5,000 links, p95 <=
// 300 ms through HTTP, and the gap check in the same). Elements are created through the service
// the API uses (createElement: content resolved, code claimed, version 1 on the ledger); links
// as designLink.created events appended to the ledger (the graph is acyclic and kind-ordered by
// construction, so createLink's per-link graph read is skipped). Then GET …/trace-matrix and
// GET …/gaps through HTTP, against the same computation in memory over the same data; the matrix
// also right after a change (uncached), with its size and JSON encode/decode times.
const MIX: Array<[ElementKind, number]> = [
  ['need', 0.1],
  ['input', 0.3],
  ['output', 0.3],
  ['verification', 0.25],
  ['validation', 0.05],
];
const ORDER: Array<[ElementKind, ElementKind]> = [
  ['need', 'input'],
  ['input', 'output'],
  ['output', 'verification'],
  ['input', 'verification'],
  ['need', 'validation'],
  ['output', 'validation'],
];

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      elements: { type: 'string', default: '2000' },
      links: { type: 'string', default: '5000' },
      requests: { type: 'string', default: '60' },
      concurrency: { type: 'string', default: '8' },
    },
  });
  const total = Number(values.elements),
    linkCount = Number(values.links),
    requests = Number(values.requests),
    concurrency = Number(values.concurrency);
  const dir = mkdtempSync(path.join(tmpdir(), 'provenant-bench-design-'));
  const booted = await boot(
    loadConfig({
      ...process.env,
      DATA_DIR: dir,
      LOG_LEVEL: 'silent',
      CHECKPOINT_INTERVAL_SECONDS: '0',
      PASSWORD_HASH_COST: '12',
      LOGIN_RATE_PER_MINUTE: '100000',
    }),
  );
  const s = booted.services;
  let server: Server | null = null;
  try {
    const password = 'Bench-password-2026';
    const u = await requestContext.run({ requestId: 'bench', locale: 'en-US', actor: SYSTEM_ACTOR }, () =>
      createUser(s, {
        username: 'bench.design',
        fullName: '王芳 Wang Fang',
        email: 'd@bench.example',
        roles: ['qa_manager'],
        password,
        temporary: false,
      }),
    );
    const user = toSessionUser(s, u, 'session');
    const actor = { id: user.id, name: user.fullName, role: 'qa_manager' };
    const ctx = <T>(f: () => Promise<T>) => requestContext.run({ requestId: 'bench', locale: 'en-US', actor }, f);
    const item = await ctx(() =>
      createItem(s, user, {
        partNumber: 'FG-BENCH-PUMP',
        name: { zh: '输液泵', en: 'Infusion pump' },
        type: 'finished',
        unit: 'pcs',
        control: 'serial',
        gtin: null,
      } as Parameters<typeof createItem>[2]),
    );
    const project = await ctx(() =>
      createProject(s, user, { title: { zh: '基准项目', en: 'Bench project' }, itemId: item._id }),
    );

    const t0 = performance.now();
    const plan = MIX.flatMap(([kind, share]) =>
      Array.from({ length: Math.round(total * share) }, (_, i) => ({ kind, i })),
    );
    const byKind = new Map<ElementKind, string[]>();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let k = next++; k < plan.length; k = next++) {
          const { kind, i } = plan[k];
          const e = await ctx(() =>
            createElement(s, user, project._id, {
              kind,
              code: `${kind.slice(0, 3).toUpperCase()}-${String(i).padStart(4, '0')}`,
              content: {
                title: { zh: `${kind} ${i}`, en: `${kind} ${i}` },
                description: { zh: '', en: '' },
                riskControls: [],
                protocol: '',
                result: kind === 'verification' ? (i % 10 === 0 ? 'fail' : 'pass') : 'pending',
                attendees: [],
                decisions: [],
                actions: [],
                outputs: [],
              },
            }),
          );
          (byKind.get(kind) ?? byKind.set(kind, []).get(kind)!).push(e._id);
        }
      }),
    );
    const elementsS = (performance.now() - t0) / 1000;

    // links: kind-ordered pairs (never a cycle), each pair once
    const pairs = new Set<string>();
    const links: Array<[string, string]> = [];
    for (let round = 0; links.length < linkCount && round < 50; round++)
      for (const [a, b] of ORDER) {
        const from = byKind.get(a)!,
          to = byKind.get(b)!;
        for (let i = 0; i < to.length && links.length < linkCount; i++) {
          const f = from[(i * (round * 7 + 1) + round) % from.length];
          const key = `${f}>${to[i]}`;
          if (pairs.has(key)) continue;
          pairs.add(key);
          links.push([f, to[i]]);
        }
      }
    const t1 = performance.now();
    next = 0;
    const ends = new Map(
      [...byKind].flatMap(([kind, ids]) => ids.map((id) => [id, { id, kind, code: id.slice(0, 8) }] as const)),
    );
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let k = next++; k < links.length; k = next++) {
          const e = designLinkEvents.change('designLink.created', {
            projectId: project._id,
            from: ends.get(links[k][0])!,
            to: ends.get(links[k][1])!,
          });
          await ctx(() =>
            s.ledger.append(`designlink:${randomUUID()}`, e.type, e.data, { expectedVersion: 0 }).then(() => undefined),
          );
        }
      }),
    );
    const linksS = (performance.now() - t1) / 1000;

    const app = createApp(s);
    server = await new Promise<Server>((r) => {
      const srv = app.listen(0, '127.0.0.1', () => r(srv));
    });
    const c = new Client(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    if ((await c.login('bench.design', password)).status !== 200) throw new Error('bench login failed');
    const pct = (xs: number[], p: number) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
    };
    const time = async (f: () => Promise<unknown>, n: number) => {
      const xs: number[] = [];
      for (let i = 0; i < n; i++) {
        const start = performance.now();
        await f();
        xs.push(performance.now() - start);
      }
      return xs;
    };
    const url = `/api/v1/design-projects/${project._id}`;
    let rows = 0,
      gaps = 0,
      bytes = 0;
    for (let w = 0; w < 5; w++) {
      await c.get(`${url}/trace-matrix`);
      await c.get(`${url}/gaps`);
    }
    const matrixMs = await time(async () => {
      const r = await c.get(`${url}/trace-matrix`);
      if (r.status !== 200) throw new Error(`trace-matrix: HTTP ${r.status}`);
      rows = r.body.rows.length;
      bytes = Number(r.headers.get('content-length') ?? 0);
    }, requests);
    // the first request after a change: a new link is appended before each one, so the index
    // drops the project's slice and the matrix is computed again (matrixOf caches per change)
    const spare = byKind.get('output')!.flatMap((o) =>
      byKind
        .get('verification')!
        .slice(0, 40)
        .filter((v) => !pairs.has(`${o}>${v}`))
        .map((v) => [o, v] as const),
    );
    const coldMs: number[] = [];
    for (let i = 0; i < Math.min(requests, 30, spare.length); i++) {
      const [from, to] = spare[(i * 37) % spare.length];
      pairs.add(`${from}>${to}`);
      const e = designLinkEvents.change('designLink.created', {
        projectId: project._id,
        from: ends.get(from)!,
        to: ends.get(to)!,
      });
      await ctx(() => s.ledger.append(`designlink:${randomUUID()}`, e.type, e.data, { expectedVersion: 0 }));
      const start = performance.now();
      const r = await c.get(`${url}/trace-matrix`);
      if (r.status !== 200) throw new Error(`trace-matrix: HTTP ${r.status}`);
      coldMs.push(performance.now() - start);
    }
    const gapsMs = await time(async () => {
      const r = await c.get(`${url}/gaps`);
      if (r.status !== 200) throw new Error(`gaps: HTTP ${r.status}`);
      gaps = r.body.length;
    }, requests);
    const data = await projectTrace(s, project._id);
    const memMatrix = await time(async () => traceMatrix(data.elements, data.links), requests);
    const memGaps = await time(async () => gapCheck(data.elements, data.links), requests);
    const served = traceMatrix(data.elements, data.links);
    const stringifyMs = await time(async () => JSON.stringify(served), requests);
    const text = JSON.stringify(served);
    const parseMs = await time(async () => JSON.parse(text), requests);
    const readMs = await time(() => projectTrace(s, project._id), Math.min(requests, 20));
    const elementsMs = await time(() => traceElements(s, project._id), Math.min(requests, 20));
    const linksMs = await time(() => graphOf(s, project._id), Math.min(requests, 20));

    console.log(
      `design trace bench: ${data.elements.length} elements through createElement in ${elementsS.toFixed(0)} s, ${data.links.length} links as ledger events in ${linksS.toFixed(0)} s; ${rows} matrix rows (${(bytes / 1e6).toFixed(1)} MB of JSON), ${gaps} gaps; ${requests} HTTP requests each`,
    );
    const line = (name: string, xs: number[], target?: number) =>
      console.log(
        `  ${name.padEnd(26)} p50 ${pct(xs, 50).toFixed(1).padStart(7)} ms   p95 ${pct(xs, 95).toFixed(1).padStart(7)} ms${
          target ? `   target <= ${target} ms  ${pct(xs, 95) <= target ? 'PASS' : 'MISS'}` : ''
        }`,
      );
    line('GET trace-matrix (HTTP)', matrixMs, 300);
    line('GET trace-matrix after change', coldMs, 300);
    line('GET gaps (HTTP)', gapsMs, 300);
    line('project graph (in-process index)', readMs);
    line('elements find (engine)', elementsMs);
    line('links find (engine)', linksMs);
    line('traceMatrix in memory', memMatrix);
    line('gapCheck in memory', memGaps);
    line('matrix JSON.stringify', stringifyMs);
    line('matrix JSON.parse (client)', parseMs);
    console.log(
      `  ratio HTTP p95 / in-memory p50: matrix ${(pct(matrixMs, 95) / pct(memMatrix, 50)).toFixed(1)}x (after a change ${(pct(coldMs, 95) / pct(memMatrix, 50)).toFixed(1)}x), gaps ${(pct(gapsMs, 95) / pct(memGaps, 50)).toFixed(1)}x`,
    );
  } finally {
    server?.closeAllConnections();
    server?.close();
    await booted.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
