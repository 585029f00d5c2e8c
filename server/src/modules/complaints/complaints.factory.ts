import { expect } from 'vitest';
import type { Client, TestServer } from '../../../test/harness.ts';
import { expectNothingWritten, markLedger } from '../../../test/refusals.ts';
import type { LotDoc } from '../inventory/lot.record.ts';
import type { ItemDoc } from '../items/item.record.ts';

// Shared by the complaint tests: the demo company's released lot of infusion sets (made by a
// work order, so it has a DHR) and a complaint body naming it.

export async function releasedProducedLot(t: TestServer) {
  const lot = (await t.services.db
    .collection<LotDoc>('lots')
    .findOne({ 'item.partNumber': 'FG-IFS-20', status: 'released', workOrderId: { $ne: null } }))!;
  const item = (await t.services.db.collection<ItemDoc>('items').findOne({ _id: lot.item.id }))!;
  return { lot, item };
}

export const complaintBody = (lot: string, over: Record<string, unknown> = {}) => ({
  lot,
  receivedDate: '2026-11-20',
  awarenessDate: '2026-11-21',
  complainant: { name: 'Ward 5, City Hospital', address: '1 Hospital Road, Suzhou', phone: '+86 512 0000 0000' },
  nature: 'Infusion set leaked at the drip chamber during use.',
  country: 'CN',
  failedSpecifications: 'yes',
  usedForTreatmentOrDiagnosis: 'yes',
  relationship: 'possibly_related',
  codes: { A: ['A0201'], E: ['E2403'], F: ['F26'] },
  ...over,
});

/** Asserts the call is refused with `status`/`code` and writes nothing (a wrong password: its failed attempt only). */
export async function refused(
  t: TestServer,
  f: () => Promise<{ status: number; body: { error?: { code?: string } } | null }>,
  status: number,
  code: string,
  allowUserEvents = 0,
) {
  const mark = await markLedger(t.services);
  const r = await f();
  expect([r.status, r.body?.error?.code]).toEqual([status, code]);
  await expectNothingWritten(t.services, mark, { allowUserEvents });
  return r;
}

export const act = (c: Client, id: string, action: string, body: Record<string, unknown> = {}) =>
  c.post(`/api/v1/complaints/${id}/actions/${action}`, body);
