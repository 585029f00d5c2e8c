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
import { createDocument } from '../server/src/modules/documents/createDocument.ts';
import { requestContext, SYSTEM_ACTOR } from '../server/src/platform/context.ts';
import { Client } from '../server/test/harness.ts';

// Document register at scale: N documents created through the same command the API uses, then
// list and search latency measured through HTTP (session cookie, JSON, presenters included).
// Target: p95 <= 100 ms.
const TYPES = ['policy', 'sop', 'work_instruction', 'form', 'specification', 'drawing', 'template'] as const;
const DEPTS = ['QA', 'RD', 'PROD', 'WH', 'PUR', 'RA', 'IT'];
const ZH = ['输液器', '输液泵', '灭菌', '标签', '检验', '清洁', '装配', '包装', '校准', '培训', '供应商', '变更'];
const EN = [
  'infusion set',
  'infusion pump',
  'sterilization',
  'labeling',
  'inspection',
  'cleaning',
  'assembly',
  'packaging',
  'calibration',
  'training',
  'supplier',
  'change',
];

export async function run(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      docs: { type: 'string', default: '100000' },
      'via-command': { type: 'boolean', default: false },
      requests: { type: 'string', default: '400' },
      concurrency: { type: 'string', default: '12' },
    },
  });
  const viaCommand = values['via-command'];
  const total = Number(values.docs),
    requests = Number(values.requests),
    concurrency = Number(values.concurrency);
  const dir = mkdtempSync(path.join(tmpdir(), 'provenant-bench-docs-'));
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
    const [author, reviewer, approver] = await requestContext.run(
      { requestId: 'bench', locale: 'en-US', actor: SYSTEM_ACTOR },
      async () =>
        Promise.all([
          createUser(s, {
            username: 'bench.author',
            fullName: '陈静 Chen Jing',
            email: 'a@bench.example',
            roles: ['document_author'],
            password,
            temporary: false,
          }),
          createUser(s, {
            username: 'bench.reviewer',
            fullName: '刘洋 Liu Yang',
            email: 'r@bench.example',
            roles: ['reviewer'],
            password,
            temporary: false,
          }),
          createUser(s, {
            username: 'bench.approver',
            fullName: '李伟 Li Wei',
            email: 'q@bench.example',
            roles: ['qa_manager'],
            password,
            temporary: false,
          }),
        ]),
    );
    const owner = toSessionUser(s, author, 'session');
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < total; i = next++) {
          const a = ZH[i % ZH.length],
            b = EN[i % EN.length],
            c = ZH[(i * 7) % ZH.length],
            d = EN[(i * 7) % EN.length];
          const input = {
            type: TYPES[i % TYPES.length],
            department: DEPTS[(i >> 3) % DEPTS.length],
            title: { zh: `${a}${c}程序 ${i}`, en: `${b} ${d} procedure ${i}` },
            summary: { zh: '基准测试文件', en: 'benchmark document' },
            reviewers: [reviewer._id],
            approvers: [approver._id],
            trainees: { roles: ['operator'], users: [] },
            reviewIntervalMonths: 24,
          };
          const actor = { id: owner.id, name: owner.fullName, role: 'document_author' };
          if (viaCommand)
            await requestContext.run({ requestId: 'bench', locale: 'en-US', actor }, () =>
              createDocument(s, owner, input),
            );
          else {
            // the event createDocument writes, with the number rendered here instead of allocated
            // on a counter stream (which costs two more appends per document)
            await s.ledger.append(
              `document:${randomUUID()}`,
              'document.created',
              {
                number: `${input.type.toUpperCase().slice(0, 3)}-${input.department}-${String(i).padStart(6, '0')}`,
                type: input.type,
                title: input.title,
                summary: input.summary,
                owner: { id: owner.id, name: owner.fullName },
                department: input.department,
                reviewers: [{ id: reviewer._id, name: reviewer.fullName }],
                approvers: [{ id: approver._id, name: approver.fullName }],
                trainees: input.trainees,
                reviewIntervalMonths: input.reviewIntervalMonths,
              },
              { expectedVersion: 0, actor },
            );
          }
          if (i > 0 && i % 10_000 === 0)
            console.log(`  created ${i} documents (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
        }
      }),
    );
    const createS = (performance.now() - t0) / 1000;

    const app = createApp(s);
    server = await new Promise<Server>((r) => {
      const srv = app.listen(0, '127.0.0.1', () => r(srv));
    });
    const port = (server.address() as { port: number }).port;
    const c = new Client(`http://127.0.0.1:${port}`);
    if ((await c.login('bench.author', password)).status !== 200) throw new Error('bench login failed');
    const queries: Array<[string, () => string]> = [
      ['list page 1', () => '/api/v1/documents?page=1&pageSize=20'],
      ['list deep page', () => `/api/v1/documents?page=${1 + Math.floor(Math.random() * 400)}&pageSize=20`],
      [
        'filter type+dept',
        () =>
          `/api/v1/documents?type=${TYPES[Math.floor(Math.random() * 7)]}&department=${DEPTS[Math.floor(Math.random() * 7)]}`,
      ],
      ['filter state', () => '/api/v1/documents?state=draft&pageSize=50'],
      [
        'search number',
        () => `/api/v1/documents?q=${encodeURIComponent(String(Math.floor(Math.random() * total)).padStart(4, '0'))}`,
      ],
      [
        'search zh title',
        () => `/api/v1/documents?q=${encodeURIComponent(ZH[Math.floor(Math.random() * ZH.length)] + '程序')}`,
      ],
      ['search en title', () => `/api/v1/documents?q=${encodeURIComponent(EN[Math.floor(Math.random() * EN.length)])}`],
    ];
    for (let w = 0; w < 20; w++) await c.get(queries[w % queries.length][1]()); // warm-up
    const times = new Map<string, number[]>();
    for (let k = 0; k < requests; k++) {
      const [name, url] = queries[k % queries.length];
      const start = performance.now();
      const r = await c.get(url());
      const ms = performance.now() - start;
      if (r.status !== 200) throw new Error(`${name}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      times.set(name, [...(times.get(name) ?? []), ms]);
    }
    const pct = (xs: number[], p: number) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
    };
    const all = [...times.values()].flat();
    console.log(
      `documents bench: ${total} documents created in ${createS.toFixed(0)} s (${Math.round(total / createS)}/s ${viaCommand ? 'through createDocument' : 'as document.created events'}), ${requests} HTTP requests`,
    );
    for (const [name, xs] of times)
      console.log(
        `  ${name.padEnd(18)} p50 ${pct(xs, 50).toFixed(1).padStart(6)} ms   p95 ${pct(xs, 95).toFixed(1).padStart(6)} ms   max ${Math.max(...xs).toFixed(1)} ms`,
      );
    const p95 = pct(all, 95);
    console.log(
      `  all                p50 ${pct(all, 50).toFixed(1).padStart(6)} ms   p95 ${p95.toFixed(1).padStart(6)} ms   target <= 100 ms  ${p95 <= 100 ? 'PASS' : 'MISS'}`,
    );
  } finally {
    server?.closeAllConnections();
    server?.close();
    await booted.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
