import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, Client, DEMO_PASSWORD, startTestServer, type TestServer } from '../../../test/harness.ts';

// Issue 15 item 1: one inbox fed by every record type's task source, each read off its lifecycle
// (what the record's page offers the user now), through HTTP on the seeded demo company. The work
// of ISO 13485:2016 7.4.2 (purchasing information approved), 7.4.3 / 820.80(b) (verification of
// purchased product: receipt, incoming inspection, disposition), 8.3 (nonconforming product),
// 8.2.2 (complaints) and 6.2 / 820.25(b) (only trained people perform a step: an untrained
// operator's step task says so and links to the training).
interface TaskRow {
  id: string;
  kind: string;
  number: string;
  due: string | null;
  link: { route: string; id: string };
  blockedBy?: { code: string; en: string; zh: string; link?: { route: string; id: string } };
}
let t: TestServer;
const users: Record<string, Client> = {};
const NAMES = [
  'warehouse',
  'qa.engineer',
  'qa.manager',
  'operator',
  'operator2',
  'purchaser',
  'auditor',
  'reviewer',
  'prod.supervisor',
];
const tasks = async (u: string) => {
  const r = await users[u].get('/api/v1/tasks');
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as TaskRow[];
};
const names = (d: { actions: Array<{ action: string }> }) => d.actions.map((a) => a.action);

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  const clients = await Promise.all(NAMES.map((u) => as(t.url, u)));
  NAMES.forEach((u, i) => (users[u] = clients[i]));
});
afterAll(async () => {
  await t?.stop();
});

describe('the inbox holds all the work', () => {
  it('gives the warehouse a receipt for an approved PO, and the PO offers them the receipt', async () => {
    const approved = (await users.warehouse.get('/api/v1/purchase-orders?status=approved')).body as Array<{
      id: string;
      number: string;
    }>;
    expect(approved.length).toBeGreaterThan(0);
    const mine = await tasks('warehouse');
    for (const po of approved) {
      const task = mine.find((x) => x.kind === 'po_receipt' && x.link.id === po.id);
      expect(task, po.number).toMatchObject({ number: po.number, link: { route: 'purchase-order' } });
      expect(task!.blockedBy).toBeUndefined();
      expect(names((await users.warehouse.get(`/api/v1/purchase-orders/${po.id}`)).body)).toContain('receive');
    }
    // a PO still waiting for its approval is not received
    const pending = (await users.warehouse.get('/api/v1/purchase-orders?status=pending_approval')).body;
    expect(pending.length).toBeGreaterThan(0);
    expect(mine.some((x) => pending.some((p: { id: string }) => p.id === x.link.id))).toBe(false);
  });

  it('gives the approver, never the PO’s author, the PO waiting for its approval signature', async () => {
    const pending = (await users['qa.manager'].get('/api/v1/purchase-orders?status=pending_approval')).body[0];
    expect((await tasks('qa.manager')).find((x) => x.kind === 'po_approval' && x.link.id === pending.id)).toBeTruthy();
    expect(names((await users['qa.manager'].get(`/api/v1/purchase-orders/${pending.id}`)).body)).toContain('approve');
    // ISO 13485 7.4.1 / 820.50: the purchaser who wrote it does not approve it
    expect((await tasks('purchaser')).some((x) => x.kind === 'po_approval' && x.link.id === pending.id)).toBe(false);
  });

  it('gives the QA engineer the open inspection, then the QA manager its disposition once results are in', async () => {
    const open = (await users['qa.engineer'].get('/api/v1/inspections?status=open')).body as Array<{ id: string }>;
    expect(open.length).toBeGreaterThan(0);
    const id = open[0].id;
    const eng = await tasks('qa.engineer');
    expect(eng.find((x) => x.kind === 'inspection' && x.link.id === id)).toMatchObject({
      link: { route: 'inspection', id },
    });
    // an open inspection is not yet a disposition to sign
    expect((await tasks('qa.manager')).some((x) => x.kind === 'inspection_disposition' && x.link.id === id)).toBe(
      false,
    );
    const insp = (await users.warehouse.get(`/api/v1/inspections/${id}`)).body;
    const measurements = insp.characteristics.map(
      (c: { name: string; lower: number | null; upper: number | null }) => ({
        characteristic: c.name,
        values: Array(insp.plan.sampleSize).fill(
          c.lower !== null && c.upper !== null ? (c.lower + c.upper) / 2 : (c.lower ?? c.upper ?? 1),
        ),
      }),
    );
    const r = await users.warehouse.post(`/api/v1/inspections/${id}/results`, { measurements });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect((await tasks('qa.engineer')).some((x) => x.kind === 'inspection' && x.link.id === id)).toBe(false);
    const mgr = await tasks('qa.manager');
    expect(mgr.find((x) => x.kind === 'inspection_disposition' && x.link.id === id)).toMatchObject({
      number: insp.number,
      link: { route: 'inspection', id },
    });
    expect(names((await users['qa.manager'].get(`/api/v1/inspections/${id}`)).body)).toContain('release');
    // the warehouse recorded the results; it may not decide on them (no inspection.disposition)
    expect((await tasks('warehouse')).some((x) => x.kind === 'inspection_disposition')).toBe(false);
    // once signed, the task is gone
    const done = await users['qa.manager'].post(`/api/v1/inspections/${id}/disposition`, {
      decision: 'release',
      password: DEMO_PASSWORD,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((await tasks('qa.manager')).some((x) => x.link.id === id)).toBe(false);
  });

  it('marks an untrained operator’s step blocked, with the training to complete and its link; the step is refused', async () => {
    const steps = (await tasks('operator2')).filter((x) => x.kind === 'wo_step');
    const blocked = steps.filter((x) => x.blockedBy);
    expect(blocked.length).toBeGreaterThan(0);
    const task = blocked[0];
    expect(task.blockedBy).toMatchObject({ code: 'NOT_TRAINED', link: { route: 'document' } });
    const wi = (await users.operator2.get(`/api/v1/documents/${task.blockedBy!.link!.id}`)).body;
    expect(wi.number).toMatch(/^WI-/);
    expect(task.blockedBy!.en).toBe(`Complete training on ${wi.number} rev ${wi.effective} first.`);
    expect(task.blockedBy!.zh).toBe(`请先完成 ${wi.number} ${wi.effective} 版的培训。`);
    // what the inbox says is what the command path does: the step is refused for the training
    const wo = (await users.operator2.get(`/api/v1/workorders/${task.link.id}`)).body;
    const op = wo.operations.find((o: { seq: number }) => String(o.seq) === task.id.split('.').pop());
    const r = await users.operator2.post(`/api/v1/workorders/${task.link.id}/steps/${op.seq}/perform`, {
      values: {},
      equipmentIds: [],
      password: DEMO_PASSWORD,
    });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('NOT_TRAINED');
    // the trained operator has the same step, not blocked
    const same = (await tasks('operator')).find((x) => x.id === task.id);
    expect(same).toBeTruthy();
    expect(same!.blockedBy).toBeUndefined();
  });

  it('holds an NC disposition or closure, a complaint to investigate or close, exactly where the record offers it', async () => {
    const ncs = (await users['qa.manager'].get('/api/v1/ncs?status=open')).body as Array<{ id: string }>;
    const complaints = (await users['qa.manager'].get('/api/v1/complaints')).body as Array<{
      id: string;
      status: string;
    }>;
    expect(ncs.length).toBeGreaterThan(0); // the seeded clamp rejection opened one (ISO 13485:2016 8.3)
    expect(complaints.some((c) => c.status !== 'closed')).toBe(true);
    const KINDS: Array<[string, string, string[]]> = [
      ['nc', 'nc_disposition', ['use_as_is', 'dispose', 'verify_rework']],
      ['nc', 'nc_close', ['close']],
      ['complaint', 'complaint_investigation', ['investigate', 'no_investigation']],
      ['complaint', 'complaint_close', ['close']],
    ];
    let seen = 0;
    for (const u of ['qa.manager', 'qa.engineer', 'operator', 'warehouse', 'auditor']) {
      const mine = await tasks(u);
      const records: Array<[string, string]> = [
        ...ncs.map((n): [string, string] => ['nc', n.id]),
        ...complaints.filter((c) => c.status !== 'closed').map((c): [string, string] => ['complaint', c.id]),
      ];
      for (const [type, id] of records) {
        const path = type === 'nc' ? `/api/v1/ncs/${id}` : `/api/v1/complaints/${id}`;
        const record = (await users[u].get(path)).body; // a user who may not read it is offered nothing
        const offered = Array.isArray(record?.actions) ? names(record) : [];
        for (const [t2, kind, actions] of KINDS) {
          if (t2 !== type) continue;
          const has = mine.some((x) => x.kind === kind && x.link.id === id);
          expect(has, `${u} ${kind} ${id}`).toBe(actions.some((a) => offered.includes(a)));
          if (has) seen++;
        }
      }
    }
    expect(seen).toBeGreaterThan(0);
    expect((await tasks('qa.manager')).some((x) => x.kind === 'nc_disposition')).toBe(true);
  });

  it('counts what the list holds, for every user', async () => {
    expect((await new Client(t.url).get('/api/v1/tasks/counts')).status).toBe(401);
    for (const u of NAMES) {
      const list = await tasks(u);
      const r = await users[u].get('/api/v1/tasks/counts');
      expect(r.status).toBe(200);
      const byKind: Record<string, number> = {};
      for (const x of list) byKind[x.kind] = (byKind[x.kind] ?? 0) + 1;
      const blocked = list.filter((x) => x.blockedBy).length;
      expect(r.body, u).toMatchObject({ total: list.length, blocked, actionable: list.length - blocked, byKind });
    }
  });

  it('gives none of these tasks to a user without the permission', async () => {
    const WORK = ['po_receipt', 'po_approval', 'inspection', 'inspection_disposition', 'nc_disposition', 'nc_close'];
    for (const u of ['auditor', 'reviewer', 'operator']) {
      const kinds = (await tasks(u)).map((x) => x.kind);
      expect(
        kinds.filter((k) => WORK.includes(k) || k.startsWith('complaint_')),
        u,
      ).toEqual([]);
    }
    expect(await tasks('auditor')).toEqual([]);
    expect((await users.auditor.get('/api/v1/tasks/counts')).body).toMatchObject({ total: 0, actionable: 0 });
    // the warehouse neither approves POs nor inspects for QA's disposition
    expect((await tasks('warehouse')).some((x) => x.kind === 'po_approval')).toBe(false);
  });

  it('shows a write made on another server in this server’s inbox within 1 s (issue 14 item 4)', async () => {
    // B reads the inbox from its in-process indexes (records/openRecords.ts), kept level by the change feed
    const b = await startTestServer({ sharedWith: t });
    try {
      const onB = (u: string) => Object.assign(new Client(b.url), { cookie: users[u].cookie, csrf: users[u].csrf });
      const pending = (await users['qa.manager'].get('/api/v1/purchase-orders?status=pending_approval')).body as Array<{
        id: string;
      }>;
      expect(pending.length).toBeGreaterThan(0);
      const id = pending[0].id;
      const po = (await users['qa.manager'].get(`/api/v1/purchase-orders/${id}`)).body as { version: number };
      const before = (await onB('qa.manager').get('/api/v1/tasks')).body as TaskRow[];
      expect(before.some((x) => x.kind === 'po_approval' && x.link.id === id)).toBe(true);
      const r = await users['qa.manager'].post(`/api/v1/purchase-orders/${id}/approve`, {
        version: po.version,
        password: DEMO_PASSWORD,
      }); // on A
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const written = Date.now();
      let seenAfter = -1;
      while (Date.now() - written < 1000) {
        const wh = (await onB('warehouse').get('/api/v1/tasks')).body as TaskRow[];
        if (wh.some((x) => x.kind === 'po_receipt' && x.link.id === id)) {
          seenAfter = Date.now() - written;
          break;
        }
        await new Promise((done) => setTimeout(done, 20));
      }
      expect(seenAfter).toBeGreaterThanOrEqual(0);
      expect(seenAfter).toBeLessThan(1000);
      // and the approval has left the approver's inbox on B
      const mgr = (await onB('qa.manager').get('/api/v1/tasks')).body as TaskRow[];
      expect(mgr.some((x) => x.kind === 'po_approval' && x.link.id === id)).toBe(false);
    } finally {
      await b.stop();
    }
  });
});
