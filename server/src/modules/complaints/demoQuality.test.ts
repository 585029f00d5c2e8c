import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Client, type TestServer, startTestServer } from '../../../test/harness.ts';
import { addDays, todayUtc } from '../../platform/dates.ts';

// The demo company's quality loop (issue 11 item 7; seed/quality.ts), read through HTTP the way a
// user or an auditor follows it: complaint → reportability decision (NMPA 医疗器械不良事件监测和
// 再评价管理办法 Art. 25: a serious injury is reported within 20 days of awareness) → NC with its
// scrap and concession (ISO 13485:2016 8.3) → CAPA (8.5.2) with its fishbone, actions, the work
// instruction revision it caused, verification, closure and the effectiveness check still due;
// an overdue CAPA, and a complaint decided not reportable with its rationale.
let t: TestServer;
let qa: Client;
const API = '/api/v1';
const NMPA_SERIOUS_INJURY_DAYS = 20;

beforeAll(async () => {
  t = await startTestServer({ seed: true });
  qa = await as(t.url, 'qa.manager');
});
afterAll(async () => {
  await t?.stop();
});

/** The seeded leak complaint: the one naming an infusion set (FG-IFS-20). */
const leakComplaint = async () => {
  const list = await get('/complaints');
  const row = list.find((c: { device: { partNumber: string } }) => c.device.partNumber === 'FG-IFS-20');
  expect(row, JSON.stringify(list).slice(0, 500)).toBeTruthy();
  return get(`/complaints/${row.id}`);
};
const get = async (path: string) => {
  const r = await qa.get(`${API}${path}`);
  expect(r.status, `${path}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(200);
  return r.body;
};

describe('the demo quality loop', () => {
  it('a leak complaint on the released infusion-set lot, reportable in China with its 20-day clock running', async () => {
    const c = await leakComplaint();
    expect(c.nature).toMatch(/drip chamber/);
    expect(c).toMatchObject({ status: 'investigated', country: 'CN', device: { partNumber: 'FG-IFS-20' } });
    expect(c.udi.hri).toMatch(/\(01\)\d{14}/);
    const lot = await get(`/lots/${c.lotId}`);
    expect(lot.status).toBe('released');
    // the loop is navigable from the lot: its page names the complaint and the NC
    expect(lot.references.complaint.map((x: { id: string }) => x.id)).toContain(c.id);
    expect(lot.references.nc.map((x: { id: string }) => x.id)).toContain(c.ncId);

    const [cn] = await get(`/reporting/decisions?complaintId=${c.id}`);
    expect(cn).toMatchObject({ jurisdiction: 'CN', status: 'reportable', overdue: false });
    expect(cn.decision).toMatchObject({ reportable: true });
    expect(cn.decision.rule).toMatchObject({ code: 'serious_injury', amount: 20, unit: 'calendar_days' });
    expect(cn.daysRemaining).toBeGreaterThanOrEqual(0);
    expect(cn.daysRemaining).toBeLessThanOrEqual(NMPA_SERIOUS_INJURY_DAYS);
    // 20 calendar days from the awareness date (Asia/Shanghai)
    expect(cn.dueDate).toBe(addDays(cn.awareAt.slice(0, 10), NMPA_SERIOUS_INJURY_DAYS));
  });

  it("the NC on the lot: part scrapped through the lot's scrap, the rest used as is under a concession by QA other than the opener", async () => {
    const c = await leakComplaint();
    const nc = await get(`/ncs/${c.ncId}`);
    expect(nc).toMatchObject({ status: 'closed', source: { kind: 'complaint', complaintId: c.id } });
    const [affected] = nc.lots;
    expect(affected.lotId).toBe(c.lotId);
    const scrap = nc.dispositions.find((d: { decision: string }) => d.decision === 'scrap');
    const asIs = nc.dispositions.find((d: { decision: string }) => d.decision === 'use_as_is');
    expect(scrap.quantity).toBeGreaterThan(0);
    expect(asIs.quantity).toBeGreaterThan(0);
    expect(scrap.quantity + asIs.quantity).toBe(affected.quantity);
    expect(asIs.justification).toMatch(/concession/);
    expect(asIs.by).not.toBe(nc.openedBy);
    // what was used as is stays in the lot, but for what the demo's sales orders shipped since
    const lot = await get(`/lots/${c.lotId}`);
    const projected = await t.services.db
      .collection<{ _id: string; inField?: Record<string, number> }>('lots')
      .findOne({ _id: c.lotId });
    const shipped = Object.values(projected?.inField ?? {}).reduce((a, b) => a + b, 0);
    expect(lot.quantity + shipped).toBe(asIs.quantity);
  });

  it('the CAPA: fishbone, two actions, the work instruction revision effective and linked, verified, closed by QA with its effectiveness check due', async () => {
    const c = await leakComplaint();
    const capa = await get(`/capas/${c.capaId}`);
    expect(capa).toMatchObject({ state: 'effectiveness_check', source: { type: 'nc', id: c.ncId }, overdue: false });
    expect(capa.investigation.analysis.method).toBe('fishbone');
    expect(capa.tasks).toHaveLength(2);
    expect(capa.tasks.every((x: { status: string }) => x.status === 'done')).toBe(true);
    expect(capa.verification).toBeTruthy();
    expect(capa.closure).toBeTruthy();
    expect(capa.effectiveness.due > todayUtc()).toBe(true);
    expect(capa.owner.name).not.toMatch(/Li Wei/); // closed by QA (Li Wei), not the owner
    const [link] = capa.links;
    expect(link.type).toBe('document');
    const wi = await get(`/documents/${link.id}`);
    expect(wi.title.en).toBe('Infusion Set Leak Test Work Instruction');
    expect(wi.effective).toBe(link.revision);
    expect(link.revision).not.toBe('A');
  });

  it('the CAPA register filtered by product finds the CAPA through its source NC, and nothing for another device', async () => {
    const c = await leakComplaint();
    const forSets = await get(`/capas?product=${encodeURIComponent(c.device.itemId)}`);
    expect(forSets.map((x: { id: string }) => x.id)).toEqual([c.capaId]);
    const pump = (await get('/complaints')).find(
      (x: { device: { partNumber: string } }) => x.device.partNumber !== 'FG-IFS-20',
    );
    expect(await get(`/capas?product=${encodeURIComponent(pump.device.itemId)}`)).toEqual([]);
    expect((await qa.get(`${API}/capas?product[$ne]=x`)).status).toBe(400);
  });

  it('a complaint decided not reportable, its rationale signed', async () => {
    // two in the demo: a complaint of the production history (seed/pastQuality.ts) and the present's
    const list = await get('/reporting/decisions?status=not_reportable');
    expect(list).toHaveLength(2);
    for (const d of list) {
      expect(d.decision).toMatchObject({ reportable: false });
      expect(d.decision.rationale).toMatch(/Not a reportable adverse event/);
      expect(d.decision.rationale).toMatch(/不属于应报告的不良事件/);
      expect((await get(`/complaints/${d.complaintId}`)).status).toBe('closed');
    }
  });

  it('the ledger verifies', async () => {
    const r = await get('/ledger/verify');
    expect(r.ok, JSON.stringify(r.findings).slice(0, 500)).toBe(true);
  });

  it('one CAPA is overdue: the internal-audit CAPA, entered as history, was due a week before seeding', async () => {
    const overdue = await get('/capas?overdue=true');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]).toMatchObject({
      overdue: true,
      due: addDays(todayUtc(), -7),
      source: { type: 'audit_finding' },
    });
  });
});
