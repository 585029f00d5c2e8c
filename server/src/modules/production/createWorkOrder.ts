import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { asUser } from '../../records/command.ts';
import { E } from './errors.ts';
import { E as MasterData } from '../items/errors.ts';
import { productionEvents } from './events.ts';
import { assertQuantityInRange } from '../../platform/fields.ts';
import { items } from '../items/service.ts';
import { allocateLotNumber } from '../inventory/service.ts';
import { effectiveDmr } from '../dmr/service.ts';
import { getWorkOrder, woStream } from './service.ts';
import { allocateNumber } from './numbering.ts';
import { assertLabelsPrintable } from './labelPreflight.ts';
import { requiredFor, type WoBomLine } from './workorder.model.ts';

export interface NewWorkOrder {
  itemId: string;
  plannedQuantity: number;
  plannedStart: string;
  plannedEnd: string;
}
export const MAX_SERIALS = 500;

/** Serial numbers from the serial scheme, each claimed per device so none is ever issued twice. */
async function allocateSerials(s: Services, item: { id: string; partNumber: string }, count: number) {
  const serials: string[] = [];
  for (let i = 0; i < count; i++) {
    serials.push(await allocateNumber(s, 'serial', { pn: item.partNumber, claim: (n) => `serial:${item.id}.${n}` }));
  }
  return serials;
}

/**
 * workOrderPlanner: a work order builds to the effective DMR revision of its device, whose BOM
 * (scaled to the planned quantity), routing and labeling are snapshotted into the order. Not a
 * lifecycle action (there is no record yet): it runs as the planner, so every number it claims
 * and the order's first event carry them.
 */
export function createWorkOrder(s: Services, user: SessionUser, n: NewWorkOrder) {
  return asUser(user, () => plan(s, user, n));
}

async function plan(s: Services, user: SessionUser, n: NewWorkOrder) {
  if (n.plannedEnd < n.plannedStart)
    throw errors.validation('body.plannedEnd', {
      en: 'the planned end is before the planned start',
      zh: '计划结束日期早于计划开始日期',
    });
  const item = await items(s).findOne({ _id: n.itemId });
  if (!item) throw errors.validation('body.itemId', { en: `no item "${n.itemId}"`, zh: `没有物料"${n.itemId}"` });
  if (item.type !== 'finished')
    throw errors.validation('body.itemId', {
      en: `${item.partNumber} is not a finished device`,
      zh: `${item.partNumber} 不是成品器械`,
    });
  if (!item.active) throw MasterData.ITEM_INACTIVE({ partNumber: item.partNumber });
  const dmr = await effectiveDmr(s, item._id);
  if (!dmr) throw E.NO_EFFECTIVE_DMR({ partNumber: item.partNumber });
  if (dmr.content.routing.length === 0)
    throw E.DMR_WITHOUT_ROUTING({ partNumber: item.partNumber, revision: dmr.revision });
  const serialized = item.control === 'serial';
  if (serialized && (!Number.isInteger(n.plannedQuantity) || n.plannedQuantity > MAX_SERIALS)) {
    throw errors.validation('body.plannedQuantity', {
      en: `a serialized device is planned in whole units, at most ${MAX_SERIALS} per order`,
      zh: `序列号管理的器械须按整数计划,每个工单最多 ${MAX_SERIALS} 件`,
    });
  }
  const bom: WoBomLine[] = dmr.content.bom.map((l) => ({
    itemId: l.itemId,
    partNumber: l.partNumber,
    name: l.name,
    unit: l.unit,
    control: l.control,
    quantityPer: l.quantity,
    required: requiredFor(l.quantity, n.plannedQuantity),
    issued: 0,
  }));
  // what the order would need of each material is a quantity too: an order too large to supply is refused before anything is numbered
  for (const l of bom)
    assertQuantityInRange(l.required, {
      en: `${l.partNumber} required for ${n.plannedQuantity} units`,
      zh: `${n.plannedQuantity} 件所需的 ${l.partNumber}`,
    });
  await assertLabelsPrintable(s, item, dmr.content.labeling.udiElements, serialized ? n.plannedQuantity : 0);
  const operations = dmr.content.routing.map((op) => ({
    ...op,
    status: 'pending' as const,
    performed: null,
    verified: null,
  }));
  const number = await allocateNumber(s, 'work_order', { claim: (n) => `wonumber:${n}` });
  const lotNumber = await allocateLotNumber(s);
  const serials = serialized
    ? await allocateSerials(s, { id: item._id, partNumber: item.partNumber }, n.plannedQuantity)
    : [];
  const id = randomUUID();
  const created = productionEvents.change('workorder.created', {
    number,
    item: {
      id: item._id,
      partNumber: item.partNumber,
      name: item.name,
      gtin: item.gtin,
      control: item.control,
      unit: item.unit,
      shelfLifeDays: item.shelfLifeDays,
    },
    dmr: { id: dmr.dmrId, revision: dmr.revision, effectiveDate: dmr.effectiveDate },
    labeling: dmr.content.labeling,
    bom,
    operations,
    plannedQuantity: n.plannedQuantity,
    plannedStart: n.plannedStart,
    plannedEnd: n.plannedEnd,
    lotNumber,
    serials,
    createdBy: { id: user.id, name: user.fullName },
  });
  await s.ledger.append(woStream(id), created.type, created.data, { expectedVersion: 0 });
  return getWorkOrder(s, id);
}
