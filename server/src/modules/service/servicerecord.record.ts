import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import type { Bilingual } from '../items/item.record.ts';
import { serviceEvents } from './events.ts';
import { serviceLifecycle } from './servicerecord.lifecycle.ts';
import { decisionBy } from '../../records/principal.ts';

// A service record (QMSR 820.35(b)): one stream `service:<id>`. Parts are issued from stock by the
// lot's own issue command, a warranty exchange ships the replacement by the lot's own ship
// command, and a "yes" on the complaint screening opens a complaint through the complaints
// module. Actions and who may take them: servicerecord.lifecycle.ts.
type By = { by: string; byId: string; at: string };
export interface ServiceState {
  id: string;
  number: string;
  device: { itemId: string; partNumber: string; name: Bilingual };
  lotId: string;
  serial: string;
  udi: { di: string | null; hri: string };
  customer: string;
  serviceDate: string;
  technician: string;
  performed: string;
  testData: string;
  shipDate: string;
  warrantyMonths: number;
  warrantyEnd: string;
  inWarranty: boolean;
  state: 'open' | 'screened' | 'completed';
  createdBy: { id: string; name: string };
  createdAt: string;
  parts: Array<By & { lotId: string; lotNumber: string; partNumber: string; quantity: number }>;
  exchange: (By & { faultySerial: string; replacementLotId: string; replacementSerial: string }) | null;
  screening: (By & { possibleComplaint: boolean; reason: Bilingual | null }) | null;
  complaint: { id: string; number: string } | null;
  pending: { summary: string; byId: string } | null;
  completion: (By & { summary: string; signatureId: string }) | null;
}
export type ServiceDoc = Projected<ServiceState>;

export const SERVICE_RECORDS = 'serviceRecords';
declareIndexes(SERVICE_RECORDS, [
  { key: { state: 1, createdAt: -1 }, name: 'state_created' },
  { key: { lotId: 1 }, name: 'lot' },
]);

const serviceContent = (s: ServiceState) => s;

function reduce(s: ServiceState | undefined, raw: LedgerEvent): ServiceState {
  const e = serviceEvents.typed(raw);
  if (e.type === 'service.recorded') {
    const { number, ...d } = e.data;
    return {
      id: e.stream.slice('service:'.length),
      number,
      ...d,
      state: 'open',
      createdBy: { id: e.actor.id, name: e.actor.name },
      createdAt: e.at,
      parts: [],
      exchange: null,
      screening: null,
      complaint: null,
      pending: null,
      completion: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before service.recorded`);
  const by = { by: e.actor.name, byId: e.actor.id, at: e.at };
  switch (e.type) {
    case 'service.partIssued':
      return { ...s, parts: [...s.parts, { ...by, ...e.data }] };
    case 'service.exchanged':
      return { ...s, exchange: { ...by, ...e.data } };
    case 'service.screened':
      return { ...s, state: 'screened', screening: { ...by, ...e.data } };
    case 'service.complaintLinked':
      return { ...s, complaint: { id: e.data.complaintId, number: e.data.number } };
    case 'service.completionProposed':
      return { ...s, pending: { summary: e.data.summary, byId: e.actor.id } };
    case SIGNATURE_EVENT: {
      const sig = e.data;
      const p = s.pending;
      if (!p || sig.signer?.id !== p.byId || sig.meaning !== 'approved') return s;
      if (!signatureCounts(s, raw, serviceContent)) return s;
      return {
        ...s,
        pending: null,
        state: 'completed',
        completion: {
          summary: p.summary,
          ...decisionBy(sig),
        },
      };
    }
    default:
      return s;
  }
}

export const serviceRecordType = defineRecordType<ServiceState>({
  type: 'service',
  collection: SERVICE_RECORDS,
  reduce,
  content: serviceContent,
  events: serviceEvents,
  lifecycle: serviceLifecycle,
  canRead: (user) => hasPermission(user, 'service.read'),
});
