import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type Client, type TestServer } from '../../../test/harness.ts';
import { addDays } from '../../platform/dates.ts';
import { act, ok, recallBody, recallCase, sign, type RecallCase } from './recall.factory.ts';
import { exportedPdfText, flat } from '../../../test/pdfExport.ts';

// Recall behaviour through HTTP on the real engine: the customer list is the shipments of the
// units the forward trace reaches (ISO 13485:2016 7.5.9.2 consignee records, 8.3.3; 21 CFR
// 806.10(c)(8)), the regulatory clocks counted as the texts say (values counted by hand below), and
// effectiveness as the share of units in the field accounted for, by disposition date.
let t: TestServer;
let k: RecallCase;
let dir = '';
beforeAll(async () => {
  t = await startTestServer({ seed: true });
  k = await recallCase(t);
  dir = mkdtempSync(path.join(tmpdir(), 'provenant-recall-'));
}, 180_000);
afterAll(async () => {
  await t?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const exported = async (c: Client, body: Record<string, unknown>) => flat(await exportedPdfText(t, c, body, dir));

describe('recall scope and customers', () => {
  it("lists as customers exactly the consignees of the traced units' shipments", async () => {
    const r = ok(await k.eng.post('/api/v1/recalls', recallBody(k)), 'open');
    expect(r.state).toBe('draft');
    // the finished end of the trace from M: the four pumps (M itself was consumed by the order)
    expect(r.units.map((u: { lotId: string }) => u.lotId).sort()).toEqual([...k.U].sort());
    const shipped = Object.fromEntries(r.units.map((u: { lotId: string; shipped: number }) => [u.lotId, u.shipped]));
    expect(shipped).toEqual({ [k.U[0]]: 1, [k.U[1]]: 1, [k.U[2]]: 1, [k.U[3]]: 0 });
    expect(
      r.customers.map((c: { code: string; units: number; lots: string[] }) => [c.code, c.units, [...c.lots].sort()]),
    ).toEqual([
      ['CUS-RJH', 2, [k.U[0], k.U[1]].sort()],
      ['CUS-ZJU1', 1, [k.U[2]]],
    ]);
    expect(r.units.find((u: { lotId: string }) => u.lotId === k.U[2]).shipments).toEqual([
      { customer: 'CUS-ZJU1', shipDate: addDays(k.today, -10), reference: 'DN-RC-2', quantity: 1 },
    ]);
    // the same consignees the genealogy shows for the lot
    const trace = ok(await k.qa.get(`/api/v1/trace/forward?lot=${k.M}`), 'trace');
    expect(trace.summary.customers.map((c: { code: string; units: number }) => [c.code, c.units])).toEqual([
      ['CUS-RJH', 2],
      ['CUS-ZJU1', 1],
    ]);
  });

  it('counts the clocks as the texts say: 806 over Thanksgiving, EU before undertaking, NMPA 1/3/7 days', async () => {
    const clocksOf = async (level: string) => {
      const r = ok(
        await k.eng.post('/api/v1/recalls', recallBody(k, { level, initiatedOn: '2026-11-20', lots: [k.U[0]] })),
        'open',
      );
      return Object.fromEntries(r.clocks.map((c: { code: string; dueDate: string }) => [c.code, c.dueDate]));
    };
    // Fri 2026-11-20 + 10 US working days: Nov 23, 24, 25, (26 Thanksgiving, 5 U.S.C. 6103), 27,
    // 30, Dec 1, 2, 3, 4, 7 → Mon 2026-12-07 (21 CFR 806.10(b)); EU MDR: by the day the FSCA is
    // undertaken; NMPA 召回管理办法 第十六条: level I 1 day, II 3 days, III 7 days (calendar days).
    expect(await clocksOf('I')).toEqual({
      FDA_806: '2026-12-07',
      EU_FSCA: '2026-11-20',
      NMPA_RECALL_I: '2026-11-21',
    });
    expect((await clocksOf('II')).NMPA_RECALL_II).toBe('2026-11-23');
    expect((await clocksOf('III')).NMPA_RECALL_III).toBe('2026-11-27');
    const rules = ok(await k.qa.get('/api/v1/recall-clock-rules'), 'rules');
    expect(rules.find((x: { code: string }) => x.code === 'FDA_806')).toMatchObject({
      amount: 10,
      unit: 'working_days',
      citation: '21 CFR 806.10(b)',
    });
  });
});

describe('effectiveness', () => {
  it('is the share of field units returned, corrected or destroyed, after each disposition date', async () => {
    const start = addDays(k.today, -5);
    const r = ok(await k.eng.post('/api/v1/recalls', recallBody(k, { initiatedOn: start })), 'open');
    ok(await act(k.qa, r.id, 'approve', sign), 'approve');
    ok(
      await act(k.eng, r.id, 'notify', { customer: 'CUS-RJH', date: start, method: 'courier', reference: 'FSN-1' }),
      'notify',
    );
    ok(
      await act(k.eng, r.id, 'acknowledge', { customer: 'CUS-RJH', date: addDays(start, 1), contact: 'Dr Li' }),
      'ack',
    );
    ok(
      await act(k.eng, r.id, 'disposition', { lotId: k.U[0], disposition: 'returned', date: addDays(k.today, -3) }),
      'd1',
    );
    ok(
      await act(k.eng, r.id, 'disposition', { lotId: k.U[2], disposition: 'destroyed', date: addDays(k.today, -1) }),
      'd2',
    );
    const last = ok(
      await act(k.eng, r.id, 'disposition', { lotId: k.U[1], disposition: 'not_found', date: k.today }),
      'd3',
    );
    // 3 units in the field (U4 never shipped); 2 accounted for: 2/3 = 66.7 %
    expect(last.effectiveness).toEqual({
      total: 3,
      accounted: 2,
      notFound: 1,
      percent: 66.7,
      series: [
        { date: addDays(k.today, -3), accounted: 1, percent: 33.3 },
        { date: addDays(k.today, -1), accounted: 2, percent: 66.7 },
        { date: k.today, accounted: 2, percent: 66.7 },
      ],
      completeOn: null,
    });
    const customers = Object.fromEntries(
      last.customers.map((c: { code: string; notification: unknown; acknowledgement: unknown }) => [
        c.code,
        [!!c.notification, !!c.acknowledgement],
      ]),
    );
    expect(customers).toEqual({ 'CUS-RJH': [true, true], 'CUS-ZJU1': [false, false] });
    // closing waits for every customer to be notified
    const refused = await act(k.qa, r.id, 'close', { summary: 'x', ...sign });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'RECALL_CUSTOMERS_NOT_NOTIFIED']);
  });
});

describe('sealed PDFs', () => {
  it('prints the field safety notice and the customer list, sealed', async () => {
    const r = ok(await k.eng.post('/api/v1/recalls', recallBody(k)), 'open');
    ok(await act(k.qa, r.id, 'approve', sign), 'approve');
    const notice = await exported(k.qa, { kind: 'recall-notice', id: r.id, locale: 'en-US' });
    expect(notice).toContain('Urgent field safety notice');
    expect(notice).toContain('Infusion pump motor may stall');
    const list = await exported(k.qa, { kind: 'recall-customers', id: r.id, locale: 'zh-CN' });
    expect(list).toContain('召回客户清单');
    expect(list).toContain('CUS-RJH');
    expect(list).toContain('浙江大学医学院附属第一医院');
  });
});
