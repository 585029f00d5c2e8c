import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { addMonths, todayUtc } from '../../platform/dates.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { yearlyNumber } from '../../records/ledgerOps.ts';
import { streamOf } from '../../records/registry.ts';
import { getItem } from '../items/service.ts';
import { getLot } from '../inventory/service.ts';
import { lookUpDevice } from '../complaints/udi.ts';
import { ServiceErrors as E } from './errors.ts';
import { serviceEvents } from './events.ts';
import { SERVICE_RECORDS, type ServiceDoc } from './servicerecord.record.ts';
import type { CreateService, ServiceAction } from './schema.ts';

export const serviceRecords = (s: Services) => s.db.collection<ServiceDoc>(SERVICE_RECORDS);

/**
 * Warranty: it runs from the unit's shipment date for the item's `warrantyMonths` (0 when the item
 * says none: no warranty). The end date is ship date + months (platform/dates addMonths: the 31st
 * runs to the month's last day) and is itself covered: in warranty iff serviceDate ≤ warrantyEnd.
 */
export function warrantyOf(shipDate: string, months: number, serviceDate: string) {
  const warrantyEnd = addMonths(shipDate, months);
  return { warrantyEnd, inWarranty: months > 0 && serviceDate <= warrantyEnd };
}

/** Records a service (not a lifecycle action: there is no record yet); everything is judged before the number. */
export function createServiceRecord(s: Services, user: SessionUser, b: CreateService) {
  return asUser(user, async () => {
    const lot = await getLot(s, b.lotId);
    if (lot.kind !== 'serial' || !lot.shipment) throw E.SERVICE_DEVICE_NOT_SHIPPED();
    if (b.serviceDate < lot.shipment.shipDate || b.serviceDate > todayUtc()) throw E.SERVICE_DATE_OUT_OF_RANGE();
    const found = await lookUpDevice(s, { lot: lot._id });
    const item = await getItem(s, lot.item.id);
    const months = item.warrantyMonths ?? 0;
    const number = await yearlyNumber(s, 'SRV');
    const id = randomUUID();
    const recorded = serviceEvents.change('service.recorded', {
      number,
      device: found.device,
      lotId: lot._id,
      serial: lot.serial ?? lot.lotNumber,
      udi: { di: found.udi.di, hri: found.udi.hri ?? '' },
      customer: lot.shipment.customer,
      serviceDate: b.serviceDate,
      technician: b.technician,
      performed: b.performed,
      testData: b.testData,
      shipDate: lot.shipment.shipDate,
      warrantyMonths: months,
      ...warrantyOf(lot.shipment.shipDate, months, b.serviceDate),
    });
    await s.ledger.append(streamOf('service', id), recorded.type, recorded.data, { expectedVersion: 0 });
    return getServiceRecord(s, id);
  });
}

export async function getServiceRecord(s: Services, id: string): Promise<ServiceDoc> {
  const r = await serviceRecords(s).findOne({ _id: id });
  if (!r) throw errors.notFound('service record');
  return r;
}

export async function actOnService(s: Services, user: SessionUser, id: string, action: ServiceAction, input: object) {
  await getServiceRecord(s, id);
  await runCommand(s, user, streamOf('service', id), action, input as Record<string, unknown>);
  return getServiceRecord(s, id);
}

export async function listServiceRecords(s: Services, f: { state?: string }): Promise<ServiceDoc[]> {
  return serviceRecords(s)
    .find(f.state ? { state: f.state as ServiceDoc['state'] } : {})
    .sort({ createdAt: -1 })
    .limit(1000)
    .toArray();
}
