import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { ServiceDoc } from './servicerecord.record.ts';
import { serviceLifecycle } from './servicerecord.lifecycle.ts';

// The only shapes of a service record that leave the server.
export function presentServiceRow(r: ServiceDoc, user: SessionUser) {
  return {
    id: r._id,
    number: r.number,
    device: r.device,
    serial: r.serial,
    customer: r.customer,
    serviceDate: r.serviceDate,
    inWarranty: r.inWarranty,
    state: r.state,
    complaint: r.complaint,
    version: r.ledgerVersion,
    actions: availableActions(serviceLifecycle, r, user),
  };
}

export function presentService(r: ServiceDoc, user: SessionUser) {
  const { _id, ledgerVersion, ...rest } = r;
  return {
    ...rest,
    ...presentServiceRow(r, user),
    link: { route: 'lot', id: r.lotId },
    stream: `service:${_id}`,
    version: ledgerVersion,
  };
}
