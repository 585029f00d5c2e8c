import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { refusalOf } from '../../records/lifecycle.ts';
import { yearlyNumber } from '../../records/ledgerOps.ts';
import { getCustomer, getItem } from '../items/service.ts';
import { getSupplier } from '../suppliers/service.ts';
import { getLot } from '../inventory/service.ts';
import { lotLifecycle } from '../inventory/lot.lifecycle.ts';
import type { LotDoc } from '../inventory/lot.record.ts';
import { NcErrors as E } from './errors.ts';
import { ncEvents, type DETECTION_POINTS } from './events.ts';
import { NONCONFORMANCES, type NcDoc, type NcSourceData } from './nc.record.ts';
import type { NcFilter, NewNc } from './schema.ts';

export const nonconformances = (s: Services) => s.db.collection<NcDoc>(NONCONFORMANCES);
const ncStream = (id: string) => streamOf('nc', id);

export async function getNc(s: Services, id: string): Promise<NcDoc> {
  const n = await nonconformances(s).findOne({ _id: id });
  if (!n) throw errors.notFound('nonconformance');
  return n;
}

export async function listNcs(s: Services, f: NcFilter) {
  const q: Record<string, unknown> = {};
  if (f.status) q.status = f.status;
  if (f.source) q['source.kind'] = f.source;
  if (f.lot) q['lots.lotId'] = f.lot;
  if (f.item) q['item.id'] = f.item;
  if (f.owner) q.openedById = f.owner;
  return nonconformances(s).find(q).sort({ openedAt: -1 }).limit(500).toArray();
}

/** Every action on an NC (nc.lifecycle.ts declares them), through the one command path. */
export async function ncAction(
  s: Services,
  user: SessionUser,
  id: string,
  action: string,
  input: Record<string, unknown>,
) {
  await getNc(s, id);
  await runCommand(s, user, ncStream(id), action, input);
  return getNc(s, id);
}

const lotView = (l: LotDoc, quantity: number) => ({
  lotId: l._id,
  lotNumber: l.lotNumber,
  serial: l.serial,
  quantity,
  unit: l.item.unit,
});
/** Lots whose status the hold changes (a rejected, expired or on-hold lot is already kept from use; a gone one has no stock). */
const holdable = (l: LotDoc) => l.status === 'quarantine' || l.status === 'released';
const DEFAULT_DETECTION: Record<NcSourceData['kind'], (typeof DETECTION_POINTS)[number]> = {
  incoming_inspection: 'incoming',
  production: 'in_process',
  complaint: 'customer',
  internal_audit: 'audit',
  supplier: 'supplier',
  customer_return: 'customer',
};

/** What an NC reads of the work order whose deviation it promotes. */
interface WorkOrderLink {
  number: string;
  deviations: Array<{ id: string; number: string }>;
}

/** The source as the NC records it: its link checked, named as the user will read it. */
async function sourceOf(s: Services, src: NewNc['source']): Promise<NcSourceData> {
  if (src.kind === 'production') {
    // read through the record registry, not production's module (production → purchasing → inspection → nc)
    const wo = await s.projector.stateAt<WorkOrderLink>(streamOf('workorder', src.workOrderId));
    if (!wo) throw errors.notFound('work order');
    const dev = wo.deviations.find((d) => d.id === src.deviationId);
    if (!dev)
      throw errors.validation('body.source.deviationId', {
        en: `work order ${wo.number} has no deviation "${src.deviationId}"`,
        zh: `工单 ${wo.number} 没有偏差"${src.deviationId}"`,
      });
    return { ...src, workOrderNumber: wo.number, deviationNumber: dev.number };
  }
  if (src.kind === 'supplier') await getSupplier(s, src.supplierCode);
  if (src.kind === 'customer_return') {
    await getCustomer(s, src.customerCode);
    return { ...src, reference: src.reference ?? null };
  }
  return src;
}

/**
 * Opens an NC from any source but an incoming inspection (which opens its own on a rejection).
 * Everything is judged first (links, lots, quantities, the hold each lot will take); then the NC's
 * event is appended, then each affected lot is held through its own `hold` action. The NC comes
 * first so every hold names a record that exists (the hold's source is `nc:<id>`): a failure
 * between the two leaves an NC naming its lot, visible and holdable, never a lot held for an NC
 * nobody can find. Not a lifecycle action (there is no record yet): it runs as the opener.
 */
export function openNc(s: Services, user: SessionUser, n: NewNc) {
  return asUser(user, async () => {
    const source = await sourceOf(s, n.source);
    const affected: Array<{ lot: LotDoc; quantity: number }> = [];
    for (const [i, a] of n.lots.entries()) {
      if (n.lots.findIndex((b) => b.lotId === a.lotId) !== i)
        throw errors.validation(`body.lots.${i}.lotId`, { en: 'named twice', zh: '重复列出' });
      const lot = await getLot(s, a.lotId);
      const limit = lot.quantity > 0 ? lot.quantity : lot.initialQuantity;
      if (a.quantity > limit)
        throw E.NC_AFFECTED_EXCEEDS_LOT({ lotNumber: lot.lotNumber, requested: a.quantity, quantity: limit });
      if (affected.length && lot.item.id !== affected[0].lot.item.id)
        throw errors.validation(`body.lots.${i}.lotId`, {
          en: 'every affected lot is of the one affected item',
          zh: '所有受影响批次须为同一物料',
        });
      if (holdable(lot)) {
        const refused = refusalOf(lotLifecycle, 'hold', lot, user);
        if (refused) throw refused;
      }
      affected.push({ lot, quantity: a.quantity });
    }
    const itemId = affected[0]?.lot.item.id ?? n.itemId;
    if (!itemId)
      throw errors.validation('body.itemId', {
        en: 'name the affected item or its lots',
        zh: '请填写受影响物料或批次',
      });
    if (n.itemId && n.itemId !== itemId)
      throw errors.validation('body.itemId', { en: 'not the item of the lots', zh: '与批次的物料不一致' });
    const item = await getItem(s, itemId);
    const supplierDoc =
      source.kind === 'supplier'
        ? await getSupplier(s, source.supplierCode)
        : affected[0]?.lot.supplier
          ? { code: affected[0].lot.supplier.code, name: affected[0].lot.supplier.name }
          : null;
    const id = randomUUID();
    const opened = ncEvents.change('nc.opened', {
      number: await yearlyNumber(s, 'NC'),
      source,
      item: { id: item._id, partNumber: item.partNumber, name: item.name },
      supplier: supplierDoc ? { code: supplierDoc.code, name: supplierDoc.name } : null,
      description: n.description,
      lots: affected.map((a) => lotView(a.lot, a.quantity)),
      detectionPoint: n.detectionPoint ?? DEFAULT_DETECTION[source.kind],
      containment: n.containment ?? '',
    });
    await s.ledger.append(ncStream(id), opened.type, opened.data, { expectedVersion: 0 });
    const nc = await getNc(s, id);
    for (const a of affected)
      if (holdable(a.lot))
        await runCommand(s, user, streamOf('lot', a.lot._id), 'hold', {
          reason: `NC ${nc.number}: ${n.description}`.slice(0, 2000),
          source: `nc:${id}`,
        });
    return getNc(s, id);
  });
}

/**
 * The NC an incoming-inspection rejection opens (inspection.lifecycle.ts calls this once the lots'
 * rejection signatures are given): the `nc.opened` it has always written, now naming the rejected
 * lots and their quantities so the MRB can dispose of them. The lots are already rejected (kept
 * from use by their signed status), so no hold is added.
 */
export async function openNcFromInspection(
  s: Services,
  id: string,
  o: {
    lotIds: string[];
    inspection: { id: string; number: string; lotNumber: string };
    item: { id: string; partNumber: string; name: { zh: string; en: string } };
    supplier: { code: string; name: { zh: string; en: string } } | null;
    reason: string;
    description?: string;
  },
) {
  const rejected = await Promise.all(o.lotIds.map((l) => getLot(s, l)));
  const first = rejected[0];
  const nc = ncEvents.change('nc.opened', {
    number: await yearlyNumber(s, 'NC'),
    source: {
      kind: 'incoming_inspection',
      lotId: first._id,
      lotNumber: first.lotNumber,
      inspectionId: o.inspection.id,
    },
    item: o.item,
    supplier: o.supplier,
    description:
      o.description ??
      `Lot ${o.inspection.lotNumber} rejected at incoming inspection ${o.inspection.number}: ${o.reason}`,
    lots: rejected.map((l) => lotView(l, l.quantity)),
  });
  await s.ledger.append(ncStream(id), nc.type, nc.data, { expectedVersion: 0 });
}
