import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { actorOf } from '../../identity/authService.ts';
import { domainError, errors } from '../../platform/errors.ts';
import { assertQuantityInRange } from '../../platform/fields.ts';
import { items } from '../items/service.ts';
import { allocateLotNumber } from '../inventory/service.ts';
import { effectiveDmr } from '../dmr/service.ts';
import { getWorkOrder, woStream } from './service.ts';
import { allocateNumber } from './numbering.ts';
import { assertLabelsPrintable } from './labelPreflight.ts';
import { requiredFor, type WoBomLine, type WoOperation } from './workorder.model.ts';

export interface NewWorkOrder { itemId: string; plannedQuantity: number; plannedStart: string; plannedEnd: string }
export const MAX_SERIALS = 500;

/** Serial numbers from the serial scheme, each claimed per device so none is ever issued twice. */
async function allocateSerials(s: Services, item: { id: string; partNumber: string }, count: number, user: SessionUser) {
  const serials: string[] = [];
  for (let i = 0; i < count; i++) {
    serials.push(await allocateNumber(s, 'serial', { pn: item.partNumber, claim: (n) => `serial:${item.id}.${n}` }, actorOf(user)));
  }
  return serials;
}

/**
 * workOrderPlanner: a work order builds to the effective DMR revision of its device, whose BOM
 * (scaled to the planned quantity), routing and labeling are snapshotted into the order.
 */
export async function createWorkOrder(s: Services, user: SessionUser, n: NewWorkOrder) {
  if (n.plannedEnd < n.plannedStart) throw errors.validation('body.plannedEnd', 'the planned end is before the planned start');
  const item = await items(s).findOne({ _id: n.itemId });
  if (!item) throw errors.validation('body.itemId', `no item "${n.itemId}"`);
  if (item.type !== 'finished') throw errors.validation('body.itemId', `${item.partNumber} is not a finished device`);
  if (!item.active) throw domainError('ITEM_INACTIVE', `Item ${item.partNumber} is deactivated.`, `物料 ${item.partNumber} 已停用。`);
  const dmr = await effectiveDmr(s, item._id);
  if (!dmr) throw domainError('NO_EFFECTIVE_DMR', `${item.partNumber} has no effective DMR revision; production cannot start.`, `${item.partNumber} 没有生效的 DMR 版本,不能投产。`);
  if (dmr.content.routing.length === 0) throw domainError('DMR_WITHOUT_ROUTING', `DMR revision ${dmr.revision} of ${item.partNumber} has no routing.`, `${item.partNumber} 的 DMR 版本 ${dmr.revision} 没有工艺路线。`);
  const serialized = item.control === 'serial';
  if (serialized && (!Number.isInteger(n.plannedQuantity) || n.plannedQuantity > MAX_SERIALS)) {
    throw errors.validation('body.plannedQuantity', `a serialized device is planned in whole units, at most ${MAX_SERIALS} per order`);
  }
  const bom: WoBomLine[] = dmr.content.bom.map((l) => ({ itemId: l.itemId, partNumber: l.partNumber, name: l.name, unit: l.unit, control: l.control,
    quantityPer: l.quantity, required: requiredFor(l.quantity, n.plannedQuantity), issued: 0 }));
  // what the order would need of each material is a quantity too: an order too large to supply is refused before anything is numbered
  for (const l of bom) assertQuantityInRange(l.required, { en: `${l.partNumber} required for ${n.plannedQuantity} units`, zh: `${n.plannedQuantity} 件所需的 ${l.partNumber}` });
  await assertLabelsPrintable(s, item, dmr.content.labeling.udiElements, serialized ? n.plannedQuantity : 0);
  const actor = actorOf(user);
  const operations: WoOperation[] = dmr.content.routing.map((op) => ({ ...op, status: 'pending', performed: null, verified: null }));
  const number = await allocateNumber(s, 'work_order', { claim: (n) => `wonumber:${n}` }, actor);
  const lotNumber = await allocateLotNumber(s, actor);
  const serials = serialized ? await allocateSerials(s, { id: item._id, partNumber: item.partNumber }, n.plannedQuantity, user) : [];
  const id = randomUUID();
  await s.ledger.append(woStream(id), 'workorder.created', {
    number, item: { id: item._id, partNumber: item.partNumber, name: item.name, gtin: item.gtin, control: item.control, unit: item.unit, shelfLifeDays: item.shelfLifeDays },
    dmr: { id: dmr.dmrId, revision: dmr.revision, effectiveDate: dmr.effectiveDate }, labeling: dmr.content.labeling,
    bom, operations, plannedQuantity: n.plannedQuantity, plannedStart: n.plannedStart, plannedEnd: n.plannedEnd, lotNumber, serials,
    createdBy: { id: user.id, name: user.fullName },
  } as unknown as Record<string, unknown>, { expectedVersion: 0, actor });
  return getWorkOrder(s, id);
}
