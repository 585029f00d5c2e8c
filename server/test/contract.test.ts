import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, as, type Client, type TestServer } from './harness.ts';

// Issue 9 (#14 and its second review): what the OpenAPI document declares is what the server does,
// for inputs an acceptance run tries again: blank query filters and optional fields, state errors,
// and paths where a fixed segment would shadow a record id. Through HTTP on the real engine.
let t: TestServer;
let admin: Client;
let qa: Client;
let doc: any;
const API = '/api/v1';
const count = () => t.services.ledger.count();

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  admin = await as(t.url, 'admin');
  qa = await as(t.url, 'qa.manager');
  doc = (await admin.get(`${API}/openapi.json`)).body;
});
afterAll(async () => {
  await t?.stop();
});

/** Whether the OpenAPI schema `s` admits the string `v` (the subset of JSON Schema the document uses for strings). */
function admits(s: any, v: string): boolean {
  if (s.anyOf) return s.anyOf.some((x: any) => admits(x, v));
  if (s.enum) return s.enum.includes(v);
  if (s.type && s.type !== 'string') return false;
  if (s.minLength !== undefined && v.length < s.minLength) return false;
  if (s.pattern && !new RegExp(s.pattern, 'u').test(v)) return false;
  return true;
}

describe('query strings: what the document declares is what the server does', () => {
  it('a blank filter on every list is refused exactly when the document says it is invalid', async () => {
    let checked = 0;
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      const op = item.get;
      if (!op || path.includes('{')) continue;
      const query = (op.parameters ?? []).filter((x: any) => x.in === 'query');
      if (query.filter((x: any) => x.required).length > 1) continue; // another required parameter would decide the answer
      for (const p of query.filter((x: any) => x.required || !query.some((y: any) => y.required))) {
        for (const v of ['', ' ']) {
          const r = await qa.get(`${path}?${p.name}=${encodeURIComponent(v)}`);
          if (r.status === 403) continue; // not this role's list
          const expected = admits(p.schema, v) ? 200 : 400;
          expect(
            r.status,
            `${path}?${p.name}=${JSON.stringify(v)} → ${r.status}, the document says ${expected}: ${JSON.stringify(p.schema)}`,
          ).toBe(expected);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('a blank filter reads as no filter (lot, supplier, item, user, owner)', async () => {
    for (const [path, name] of [
      ['/inspections', 'lot'],
      ['/purchase-orders', 'supplier'],
      ['/suppliers', 'item'],
      ['/training', 'user'],
      ['/documents', 'owner'],
      ['/workorders', 'item'],
      ['/inventory', 'item'],
    ]) {
      const all = await qa.get(`${API}${path}`);
      const blank = await qa.get(`${API}${path}?${name}=`);
      expect(all.status, path).toBe(200);
      expect(blank.body, path).toEqual(all.body);
    }
  });

  it('an optional date in a body is blank or a calendar date, as declared', async () => {
    const schema = doc.paths['/api/v1/equipment'].post.requestBody.content['application/json'].schema;
    const field = (schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema).properties
      .lastCalibratedOn;
    expect(admits(field, '')).toBe(true);
    expect(admits(field, '2026-1-1')).toBe(false);
    const sup = await as(t.url, 'prod.supervisor');
    const base = {
      name: { zh: '测试', en: 'Probe' },
      type: 'balance',
      location: 'PROD-1',
      calibrationIntervalDays: 365,
    };
    const before = await count();
    for (const bad of ['2026-1-1', '2026-02-30', 'yesterday', 20260101]) {
      const r = await sup.post(`${API}/equipment`, { ...base, code: 'EQ-PROBE-1', lastCalibratedOn: bad });
      expect(r.status, String(bad)).toBe(400);
      expect(r.body.error.details?.[0]?.path ?? r.body.error.message).toContain('lastCalibratedOn');
    }
    expect(await count()).toBe(before);
    const ok = await sup.post(`${API}/equipment`, { ...base, code: 'EQ-PROBE-2', lastCalibratedOn: '' });
    expect(ok.status).toBe(201);
    expect(ok.body.lastCalibratedOn).toBeNull();
  });
});

describe('state errors answer 409, as declared', () => {
  it('confirming an authenticator that was never started is a 409 the document lists', async () => {
    const op = await as(t.url, 'operator');
    const before = await count();
    const r = await op.post(`${API}/auth/totp/confirm`, { code: '123456' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('TOTP_ENROLMENT_NOT_STARTED');
    expect(Object.keys(doc.paths['/api/v1/auth/totp/confirm'].post.responses)).toContain('409');
    expect(await count()).toBe(before);
  });
});

describe('routes: no fixed path segment shadows a record id', () => {
  it('no path of the document is also matched by a sibling with a parameter in that place', () => {
    const paths = Object.keys(doc.paths).map((p) => p.split('/'));
    const clashes: string[] = [];
    for (const a of paths) {
      for (const b of paths) {
        if (a === b || a.length !== b.length) continue;
        const diff = a.map((seg, i) => [seg, b[i]]).filter(([x, y]) => x !== y);
        if (diff.length && diff.every(([x, y]) => !x.startsWith('{') && y.startsWith('{')))
          clashes.push(`${a.join('/')} ↔ ${b.join('/')}`);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('a supplier coded like a former fixed route is reachable, and the certificate alerts live at their own path', async () => {
    const purchaser = await as(t.url, 'purchaser');
    const made = await purchaser.post(`${API}/suppliers`, {
      code: 'alerts',
      name: { zh: '告警供应商', en: 'Alerts Ltd' },
    });
    expect(made.status).toBe(201);
    expect((await purchaser.get(`${API}/suppliers/alerts`)).body.code).toBe('alerts');
    expect(
      (await purchaser.patch(`${API}/suppliers/alerts`, { contact: 'x@example.com', reason: 'contact changed' }))
        .status,
    ).toBe(200);
    const alerts = await purchaser.get(`${API}/supplier-alerts`);
    expect(alerts.status).toBe(200);
    expect(Array.isArray(alerts.body)).toBe(true);
  });
});

/** A schema with its $refs replaced by the components they name. */
function inline(s: any, depth = 0): any {
  if (Array.isArray(s)) return s.map((x) => inline(x, depth));
  if (!s || typeof s !== 'object' || depth > 20) return s;
  if (typeof s.$ref === 'string') return inline(doc.components.schemas[s.$ref.split('/').pop()], depth + 1);
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, inline(v, depth + 1)]));
}

describe('every status an operation answers is one its declaration lists', () => {
  const declares = (method: string, path: string, status: number) =>
    Object.keys(doc.paths[`/api/v1${path}`][method].responses).includes(String(status));

  it('a quantity or amount pushed out of its bounds is a declared 422', async () => {
    const sup = await as(t.url, 'prod.supervisor');
    const purchaser = await as(t.url, 'purchaser');
    const items = new Map<string, string>(
      ((await qa.get(`${API}/items`)).body as Array<{ partNumber: string; id: string }>).map((i) => [
        i.partNumber,
        i.id,
      ]),
    );
    const due = '2027-03-01';
    const before = await count();
    const po = await purchaser.post(`${API}/purchase-orders`, {
      supplier: 'SUP-JINGMO',
      lines: [{ itemId: items.get('CP-DRP-001'), quantity: 10_000_000, unitPrice: 1e9, dueDate: due }],
    });
    expect(po.status).toBe(422);
    expect(declares('post', '/purchase-orders', 422)).toBe(true);
    const wo = await sup.post(`${API}/workorders`, {
      itemId: items.get('FG-IFS-20'),
      plannedQuantity: 6_666_667,
      plannedStart: due,
      plannedEnd: due,
    });
    expect(wo.status).toBe(422);
    expect(declares('post', '/workorders', 422)).toBe(true);
    expect(await count()).toBe(before);
    // the rule, not the two examples: every write that takes a number can answer 422
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const body = JSON.stringify(inline(op.requestBody?.content?.['application/json']?.schema ?? {}));
        if (method !== 'get' && /"type":(\[[^\]]*)?"(number|integer)"/.test(body))
          expect(Object.keys(op.responses), `${method} ${path}`).toContain('422');
        if (method !== 'get' && op.security?.length)
          expect(Object.keys(op.responses), `${method} ${path}`).toContain('503');
      }
    }
    for (const p of [
      '/lots/{id}/adjust',
      '/lots/{id}/count',
      '/workorders/{id}/labels/print',
      '/purchase-orders/{id}/receipts',
      '/workorders/{id}/complete',
    ]) {
      expect(declares('post', p, 422), p).toBe(true);
    }
  });

  it('fetching an export that is not finished is a declared 409', () => {
    expect(declares('get', '/exports/{jobId}/file', 409)).toBe(true);
    expect(declares('get', '/portal/grants/{grantId}/records/{stream}/pdf', 503)).toBe(true);
  });
});

describe('a step value is one capture', () => {
  it('refuses a DMR operation capturing the same name twice, or a name no JSON body can carry, with nothing written', async () => {
    const sup = await as(t.url, 'prod.supervisor');
    const list = (await sup.get(`${API}/dmrs`)).body as Array<{ id: string; current: string; revision: string }>;
    const free = list.find((x) => x.current === x.revision)!; // no revision already in work (the demo change holds one)
    const d = (await sup.get(`${API}/dmrs/${free.id}`)).body;
    const started = await sup.post(`${API}/dmrs/${d.id}/actions/new_revision`, { version: d.version });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const content = structuredClone(started.body.revisions.at(-1).content);
    const before = await count();
    for (const captures of [
      [
        { name: 'Length', unit: 'mm', lower: 1, upper: 2 },
        { name: 'Length', unit: 'mm', lower: 3, upper: 4 },
      ],
      [{ name: '__proto__', unit: '', lower: null, upper: null }],
    ]) {
      content.routing[0].captures = captures;
      const r = await sup.put(`${API}/dmrs/${d.id}/draft`, { version: started.body.version, content });
      expect(r.status, JSON.stringify(captures)).toBe(400);
      expect(r.body.error.message).toMatch(/capture/);
    }
    expect(await count()).toBe(before);
    content.routing[0].captures = [
      { name: 'Length', unit: 'mm', lower: 1, upper: 2 },
      { name: 'Width', unit: 'mm', lower: 3, upper: 4 },
    ];
    expect((await sup.put(`${API}/dmrs/${d.id}/draft`, { version: started.body.version, content })).status).toBe(200);
  });
});

describe('what the document calls valid, the server takes (schemathesis ST202 cases)', () => {
  const param = (path: string, name: string) =>
    doc.paths[`/api/v1${path}`].get?.parameters?.find((p: any) => p.name === name) ??
    doc.paths[`/api/v1${path}`].post?.parameters?.find((p: any) => p.name === name);
  const body = (method: string, path: string) =>
    inline(doc.paths[`/api/v1${path}`][method].requestBody.content['application/json'].schema);

  it('declares positive quantities as exclusive of zero, AQLs as their list, dates as calendar-shaped, and no action the path refuses', async () => {
    expect(param('/inventory/fefo', 'qty').schema).toMatchObject({ exclusiveMinimum: 0 });
    expect((await qa.get(`${API}/inventory/fefo?item=x&qty=0`)).status).toBe(400);
    expect(body('put', '/dmrs/{id}/draft').properties.content.properties.bom.items.properties.quantity).toMatchObject({
      exclusiveMinimum: 0,
    });
    const aql = JSON.stringify(param('/sampling-plan', 'aql').schema);
    expect(aql).toContain('0.65');
    expect(aql).not.toMatch(/"maximum":10\b/);
    expect((await qa.get(`${API}/sampling-plan?lotSize=1&aql=9`)).status).toBe(400);
    expect((await qa.get(`${API}/sampling-plan?lotSize=1&aql=0.65`)).status).toBe(200);
    const date = body('post', '/equipment/{id}/calibrations').properties.date;
    for (const bad of ['0000-00-00', '2026-13-01', '2026-01-32', '2026-00-10'])
      expect(admits(date, bad), bad).toBe(false);
    expect(admits(date, '2026-02-28')).toBe(true);
    expect(param('/documents/{id}/actions/{action}', 'action').schema.enum).not.toContain('upload');
    const d = (await qa.get(`${API}/documents?pageSize=1`)).body;
    const id = (d.items ?? d)[0].id;
    expect((await qa.post(`${API}/documents/${id}/actions/upload`, { version: 1 })).status).toBe(400);
  });
});

describe("refusals read in the caller's language", () => {
  it('a 403 in Chinese carries no English route summary, and the English one reads as a sentence', async () => {
    const op = await as(t.url, 'operator');
    op.locale = 'zh-CN';
    const zh = await op.post(`${API}/locations`, {
      code: 'X1',
      name: { zh: '库', en: 'Bin' },
      kind: 'storage',
      warehouse: 'WH1',
    });
    expect(zh.status).toBe(403);
    expect(zh.body.error.code).toBe('FORBIDDEN');
    expect(zh.body.error.message).not.toMatch(/[A-Za-z]/);
    const audit = await as(t.url, 'auditor');
    const en = await audit.get(`${API}/records/supplier:SUP-HUASU/ledger`);
    expect(en.status).toBe(403);
    expect(en.body.error.message).toMatch(/^Your roles do not allow this: .+\.$/);
  });
});
