import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { yearlyNumber } from '../../records/ledgerOps.ts';
import { streamOf } from '../../records/registry.ts';
import { sumQty } from '../../platform/fields.ts';
import { getCustomer } from '../items/service.ts';
import type { LotState } from '../inventory/lot.record.ts';
import { ReturnsErrors as E } from './errors.ts';
import { rmaEvents } from './events.ts';
import { RMAS, type RmaDoc } from './rma.record.ts';
import type { CreateRma, RmaAction } from './schema.ts';

export const rmas = (s: Services) => s.db.collection<RmaDoc>(RMAS);

/**
 * Opens a return (not a lifecycle action: there is no record yet). The unit or quantity must be
 * one the lot's own shipment events say this customer has in the field, less what their returns
 * not yet received already name (a unit never shipped to them, or more than shipped, is a 409; a
 * serial is returned whole, quantity 1). Everything is judged before the number is allocated.
 */
export function openRma(s: Services, user: SessionUser, b: CreateRma) {
  return asUser(user, async () => {
    // the lot as the ledger has it (authoritative, not a projection that might lag)
    const lot = await s.projector.stateAt<LotState>(streamOf('lot', b.lotId));
    if (!lot) throw errors.notFound('lot');
    await getCustomer(s, b.customer);
    if (lot.kind === 'serial' && b.quantity !== 1) throw E.RMA_SERIAL_IS_ONE();
    const pending = await rmas(s)
      .find({ 'lot.id': b.lotId, customer: b.customer, state: 'open' }, { projection: { quantity: 1 } })
      .toArray();
    const inField = sumQty(lot.inField?.[b.customer] ?? 0, -sumQty(...pending.map((r) => r.quantity)));
    if (b.quantity > inField)
      throw E.RMA_NOT_SHIPPED_TO_CUSTOMER({
        lotNumber: lot.serial ?? lot.lotNumber,
        customer: b.customer,
        inField,
        requested: b.quantity,
      });
    const number = await yearlyNumber(s, 'RMA');
    const id = randomUUID();
    const shippedToThem = lot.shipment?.customer === b.customer ? lot.shipment : null;
    const opened = rmaEvents.change('rma.opened', {
      number,
      lot: {
        id: b.lotId,
        lotNumber: lot.lotNumber,
        serial: lot.serial,
        kind: lot.kind,
        item: { id: lot.item.id, partNumber: lot.item.partNumber, name: lot.item.name, unit: lot.item.unit },
      },
      customer: b.customer,
      quantity: b.quantity,
      shipDate: shippedToThem?.shipDate ?? null,
      warrantyEnd: shippedToThem?.warrantyEnd ?? null,
      customerReason: b.customerReason,
    });
    await s.ledger.append(streamOf('rma', id), opened.type, opened.data, { expectedVersion: 0 });
    return getRma(s, id);
  });
}

export async function getRma(s: Services, id: string): Promise<RmaDoc> {
  const r = await rmas(s).findOne({ _id: id });
  if (!r) throw errors.notFound('return');
  return r;
}

/** One action on a return, through the one command path (rma.lifecycle.ts). */
export async function actOnRma(s: Services, user: SessionUser, id: string, action: RmaAction, input: object) {
  await getRma(s, id);
  await runCommand(s, user, streamOf('rma', id), action, input as Record<string, unknown>);
  return getRma(s, id);
}

export async function listRmas(s: Services, f: { state?: string; lotId?: string }): Promise<RmaDoc[]> {
  const q: Record<string, unknown> = {};
  if (f.state) q.state = f.state;
  if (f.lotId) q['lot.id'] = f.lotId;
  return rmas(s).find(q).sort({ createdAt: -1 }).limit(1000).toArray();
}
