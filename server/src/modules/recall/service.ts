import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { todayUtc } from '../../platform/dates.ts';
import { EVENTS } from '../../ledger/ledger.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { yearlyNumber } from '../../records/ledgerOps.ts';
import { streamOf } from '../../records/registry.ts';
import { LOTS, type LotDoc } from '../inventory/lot.record.ts';
import { customers } from '../items/service.ts';
import { traceForward } from '../trace/genealogy.ts';
import { RecallErrors as E } from './errors.ts';
import { recallEvents, type RecallUnitData } from './events.ts';
import { RECALLS, type RecallDoc } from './recall.record.ts';
import type { CreateRecall, RecallAction } from './schema.ts';

export const recalls = (s: Services) => s.db.collection<RecallDoc>(RECALLS);

/**
 * The affected lots: the finished end of the forward trace from `fromLot` (every traced lot that no
 * order in the trace consumed: what left the line as a product), plus the lots named by hand.
 * Unknown lots are a 404, nothing written.
 */
async function affectedLots(s: Services, b: CreateRecall): Promise<string[]> {
  const ids = new Set<string>();
  if (b.fromLot) {
    const t = await traceForward(s, { lot: b.fromLot });
    const consumed = new Set(t.workOrders.flatMap((w) => w.consumed.map((c) => c.lotId)));
    for (const l of t.lots) if (!consumed.has(l.id)) ids.add(l.id);
  }
  const named = [...new Set(b.lots)];
  if (named.length) {
    const found = await s.db
      .collection<LotDoc>(LOTS)
      .find({ _id: { $in: named } }, { projection: { _id: 1 } })
      .toArray();
    if (found.length !== named.length) throw errors.notFound('lot');
    for (const id of named) ids.add(id);
  }
  return [...ids];
}

/** What each lot's own `lot.shipped` events say left the company, to whom, when and how many (a serial is 1). */
async function unitsOf(s: Services, lotIds: string[]): Promise<RecallUnitData[]> {
  const lots = await s.db
    .collection<LotDoc>(LOTS)
    .find({ _id: { $in: lotIds } }, { projection: { lotNumber: 1, serial: 1, kind: 1, item: 1 } })
    .toArray();
  const shipped = await s.db
    .collection(EVENTS)
    .find(
      { stream: { $in: lotIds.map((id) => streamOf('lot', id)) }, type: 'lot.shipped' },
      { projection: { _id: 0, stream: 1, data: 1 } },
    )
    .toArray();
  const byLot = new Map<string, RecallUnitData['shipments']>();
  for (const e of shipped) {
    const id = String(e.stream).slice('lot:'.length);
    const d = e.data as { customer: string; shipDate: string; reference: string; quantity?: number };
    byLot.set(id, [
      ...(byLot.get(id) ?? []),
      { customer: d.customer, shipDate: d.shipDate, reference: d.reference, quantity: d.quantity ?? 1 },
    ]);
  }
  return lots
    .map((l) => ({
      lotId: l._id,
      lotNumber: l.lotNumber,
      serial: l.serial ?? null,
      item: { id: l.item.id, partNumber: l.item.partNumber, unit: l.item.unit },
      shipments: byLot.get(l._id) ?? [],
    }))
    .sort((a, b) => (a.serial ?? a.lotNumber).localeCompare(b.serial ?? b.lotNumber) || a.lotId.localeCompare(b.lotId));
}

/**
 * Opens a recall in draft (not a lifecycle action: there is no record yet). It runs as the user, so
 * its number and first event carry them; its approval is the first signed step (recall.lifecycle.ts).
 */
export function openRecall(s: Services, user: SessionUser, b: CreateRecall) {
  return asUser(user, async () => {
    if (b.initiatedOn > todayUtc())
      throw errors.validation('body.initiatedOn', { en: 'not in the future', zh: '不能是将来的日期' });
    const units = await unitsOf(s, await affectedLots(s, b));
    const codes = [...new Set(units.flatMap((u) => u.shipments.map((x) => x.customer)))].sort();
    if (!codes.length) throw E.RECALL_NOTHING_SHIPPED();
    const found = await customers(s)
      .find({ code: { $in: codes } }, { projection: { code: 1, name: 1 } })
      .toArray();
    const name = new Map(found.map((c) => [c.code, c.name]));
    const number = await yearlyNumber(s, 'RCL');
    const id = randomUUID();
    const opened = recallEvents.change('recall.opened', {
      number,
      title: b.title,
      reason: b.reason,
      level: b.level,
      kind: b.kind,
      jurisdictions: [...new Set(b.jurisdictions)],
      initiatedOn: b.initiatedOn,
      urgent: b.urgent,
      tracedFrom: b.fromLot ?? null,
      units,
      customers: codes.map((code) => ({ code, name: name.get(code) ?? { zh: code, en: code } })),
    });
    await s.ledger.append(streamOf('recall', id), opened.type, opened.data, { expectedVersion: 0 });
    return getRecall(s, id);
  });
}

export async function getRecall(s: Services, id: string): Promise<RecallDoc> {
  const r = await recalls(s).findOne({ _id: id });
  if (!r) throw errors.notFound('recall');
  return r;
}

/** One action on a recall, through the one command path (recall.lifecycle.ts). */
export async function actOnRecall(s: Services, user: SessionUser, id: string, action: RecallAction, input: object) {
  await getRecall(s, id);
  await runCommand(s, user, streamOf('recall', id), action, input as Record<string, unknown>);
  return getRecall(s, id);
}

export async function listRecalls(s: Services, f: { state?: string }): Promise<RecallDoc[]> {
  return recalls(s)
    .find(f.state ? { state: f.state as RecallDoc['state'] } : {})
    .sort({ createdAt: -1 })
    .limit(1000)
    .toArray();
}
