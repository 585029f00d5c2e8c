import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestServer, type Client, type TestServer } from '../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../test/refusals.ts';
import { addDays, todayUtc } from '../platform/dates.ts';
import { lotOf, ncOn } from '../modules/nc/nc.factory.ts';
import { capaCast, newCapaBody, ok, type CapaCast } from '../modules/capa/capa.factory.ts';
import { complaintBody, releasedProducedLot } from '../modules/complaints/complaints.factory.ts';
import { readXlsx, values, type ReadXlsx } from './xlsx/pyReader.ts';
import { EVENTS } from '../ledger/ledger.ts';

// Excel exports of the NC, CAPA and complaint registers (issue 11 item 6, issue 15 item 4): the
// workbook holds exactly the rows of the JSON list with the same filters, headers in the
// request's language, text that looks like a formula kept as text (OWASP CSV injection), and
// each export on the ledger (who exported which list with which filter: 21 CFR 11.10(e)).
let t: TestServer;
let qa: Client, qaEng: Client, auditor: Client;
let k: CapaCast;
const EVIL = '=HYPERLINK("http://evil.example","click")';

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  [qa, qaEng, auditor] = await Promise.all(['qa.manager', 'qa.engineer', 'auditor'].map((u) => as(t.url, u)));
  k = await capaCast(t.url);
  // one NC by each of two people, one with a formula-looking description
  await ncOn(qaEng, await lotOf(t, qaEng), 3, { description: `${EVIL} 输液器泄漏` });
  await ncOn(qa, await lotOf(t, qa), 2);
  // two CAPAs, one overdue-free with a formula-looking title, one of another source
  ok(await k.owner.post('/api/v1/capas', newCapaBody(k, { title: '+SUM(A1:A9) 渗漏' })), 'capa 1');
  ok(
    await k.owner.post(
      '/api/v1/capas',
      newCapaBody(k, {
        title: 'Management review item',
        source: { type: 'management_review', id: 'MR-2026-1' },
        due: addDays(todayUtc(), 10),
      }),
    ),
    'capa 2',
  );
  const { lot } = await releasedProducedLot(t);
  ok(await qaEng.post('/api/v1/complaints', complaintBody(lot.lotNumber, { nature: '@cmd 滴斗处渗漏' })), 'complaint');
});
afterAll(async () => {
  await t?.stop();
});

async function xlsx(c: Client, path: string) {
  const r = await c.bytes(path);
  expect(r.status, r.body.toString('utf8').slice(0, 300)).toBe(200);
  expect(r.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  return readXlsx(r.body);
}
async function download(c: Client, path: string) {
  const h: Record<string, string> = { 'accept-language': c.locale, cookie: c.cookie };
  return fetch(t.url + path, { headers: h });
}
const column = (x: ReadXlsx, header: string) => {
  const i = values(x)[0].indexOf(header);
  expect(i, `column ${header}`).toBeGreaterThanOrEqual(0);
  return x.rows.slice(1).map((r) => Object.values(r)[i]?.value ?? null);
};

const LISTS = [
  { name: 'nc', list: '/api/v1/ncs', filters: ['status=open', 'source=internal_audit', 'status=closed'] },
  { name: 'capa', list: '/api/v1/capas', filters: ['state=evaluation', 'source=management_review', 'overdue=false'] },
  {
    name: 'complaints',
    list: '/api/v1/complaints',
    filters: ['status=open', 'overdue=true', 'overdue=false', 'status=closed'],
  },
];

describe('list exports to Excel', () => {
  for (const l of LISTS) {
    it(`${l.name}: the workbook holds the JSON list's rows, filter by filter, read back by Python`, async () => {
      for (const f of ['', ...l.filters]) {
        const json = await qa.get(`${l.list}?${f}`);
        expect(json.status).toBe(200);
        const x = await xlsx(qa, `/api/v1/lists/${l.name}/export.xlsx?${f}`);
        expect(x.bad).toBeNull();
        expect(x.overrides['/xl/worksheets/sheet1.xml']).toMatch(/worksheet\+xml$/);
        expect(x.frozen).toEqual({ state: 'frozen', ySplit: '1' });
        expect(Object.values(x.rows[0]).every((c) => c.bold)).toBe(true);
        expect(column(x, 'Number'), `${l.name}?${f}`).toEqual(
          (json.body as Array<{ number: string }>).map((r) => r.number),
        );
      }
    });
  }

  it('filters narrow the NC list and its workbook alike: owner, source, item (the product)', async () => {
    const all = (await qa.get('/api/v1/ncs')).body as Array<{ number: string; openedBy: string; item: { id: string } }>;
    const mine = (await qa.get(`/api/v1/ncs?owner=${k.ids['qa.engineer']}`)).body as typeof all;
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(all.length);
    expect(new Set(mine.map((n) => n.openedBy)).size).toBe(1);
    const x = await xlsx(qa, `/api/v1/lists/nc/export.xlsx?owner=${k.ids['qa.engineer']}`);
    expect(column(x, 'Number')).toEqual(mine.map((n) => n.number));
    const item = mine[0].item.id;
    const byItem = (await qa.get(`/api/v1/ncs?item=${item}`)).body as typeof all;
    expect(column(await xlsx(qa, `/api/v1/lists/nc/export.xlsx?item=${item}`), 'Number')).toEqual(
      byItem.map((n) => n.number),
    );
  });

  it('overdue=true and overdue=false split each register with a due date into two disjoint parts', async () => {
    for (const list of ['/api/v1/complaints', '/api/v1/capas']) {
      const numbers = async (f: string) =>
        ((await qa.get(`${list}?${f}`)).body as Array<{ number: string }>).map((r) => r.number);
      const [all, late, onTime] = await Promise.all([numbers(''), numbers('overdue=true'), numbers('overdue=false')]);
      expect(
        late.filter((n) => onTime.includes(n)),
        list,
      ).toEqual([]);
      expect([...late, ...onTime].sort(), list).toEqual([...all].sort());
    }
  });

  it('CAPA filters by owner and overdue give the same rows in the list and the workbook', async () => {
    for (const f of [`owner=${k.ids['qa.engineer']}`, 'overdue=true', `owner=${k.ids['qa.manager']}&overdue=false`]) {
      const json = (await qa.get(`/api/v1/capas?${f}`)).body as Array<{ number: string }>;
      expect(column(await xlsx(qa, `/api/v1/lists/capa/export.xlsx?${f}`), 'Number')).toEqual(
        json.map((c) => c.number),
      );
    }
  });

  it('writes the headers, sheet name and labels in Chinese for zh-CN, and the file name carries the date', async () => {
    qa.locale = 'zh-CN';
    try {
      const x = await xlsx(qa, '/api/v1/lists/complaints/export.xlsx');
      expect(x.sheets).toEqual(['投诉']);
      expect(values(x)[0].slice(0, 4)).toEqual(['编号', '状态', '物料编码', '器械']);
      expect(column(x, '状态')).toContain('处理中');
      const r = await download(qa, '/api/v1/lists/nc/export.xlsx');
      expect(r.headers.get('content-disposition')).toBe(
        `attachment; filename="nc-${new Date().toISOString().slice(0, 10)}.xlsx"`,
      );
      expect(values(readXlsx(Buffer.from(await r.arrayBuffer())))[0][0]).toBe('编号');
    } finally {
      qa.locale = 'en-US';
    }
  });

  it('keeps text that looks like a formula as text in every register (OWASP CSV injection)', async () => {
    const cells = [
      ...Object.values((await xlsx(qa, '/api/v1/lists/nc/export.xlsx')).rows.slice(1)).flatMap((r) => Object.values(r)),
      ...Object.values((await xlsx(qa, '/api/v1/lists/capa/export.xlsx')).rows.slice(1)).flatMap((r) =>
        Object.values(r),
      ),
      ...Object.values((await xlsx(qa, '/api/v1/lists/complaints/export.xlsx')).rows.slice(1)).flatMap((r) =>
        Object.values(r),
      ),
    ];
    const evil = cells.filter((c) => typeof c.value === 'string' && /^[=+@-]/.test(c.value));
    expect(evil.map((c) => c.value)).toEqual(
      expect.arrayContaining([`${EVIL} 输液器泄漏`, '+SUM(A1:A9) 渗漏', '@cmd 滴斗处渗漏']),
    );
    for (const c of evil) expect(c).toMatchObject({ type: 's', formula: false, quotePrefix: true });
  });

  // the same rows make the same bytes (fixed ZIP time stamps), so the hash names the content, the event the moment
  it('records each export on the ledger: who, which list, which filter, how many rows, the SHA-256', async () => {
    const r = await download(qaEng, '/api/v1/lists/capa/export.xlsx?source=management_review');
    const bytes = Buffer.from(await r.arrayBuffer());
    const sha = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
    const e = await t.services.db.collection(EVENTS).findOne({
      type: 'export.list_generated',
      'data.sha256': sha,
      'actor.id': k.ids['qa.engineer'],
    });
    expect(e).toMatchObject({
      stream: expect.stringMatching(/^list-export:/),
      data: { list: 'capa', filter: { source: 'management_review' }, rows: 1, locale: 'en-US' },
      actor: { id: k.ids['qa.engineer'] },
    });
  });

  it('refuses a role without the permission (403), an unknown list (404) and injected queries (400), writing nothing', async () => {
    const before = await markLedger(t.services);
    expect((await auditor.bytes('/api/v1/lists/nc/export.xlsx')).status).toBe(403);
    expect((await qa.bytes('/api/v1/lists/nope/export.xlsx')).status).toBe(404);
    expect((await qa.bytes('/api/v1/lists/NC%24/export.xlsx')).status).toBe(400);
    for (const q of [
      'status=%7B%22%24ne%22%3Anull%7D',
      'status[$ne]=x',
      'filter[$ne]=x',
      'owner[$ne]=',
      'overdue=maybe',
      `source=${'x'.repeat(5000)}`,
    ]) {
      for (const name of ['nc', 'capa', 'complaints']) {
        const r = await qa.request('GET', `/api/v1/lists/${name}/export.xlsx?${q}`);
        expect(r.status, `${name}?${q}`).toBe(400);
      }
    }
    const anon = await fetch(`${t.url}/api/v1/lists/nc/export.xlsx`);
    expect(anon.status).toBe(401);
    await expectNothingWritten(t.services, before);
  });
});
