import { request } from './request';
import type { LifecycleAction } from './types';

// Service records (QMSR 820.35(b)): device, UDI, date, technician, service performed, test data;
// warranty computed by the server from the ship date and the item's warranty months; parts issued
// from stock; warranty exchange; complaint screening (21 CFR 820.198). Rules are the server's (`actions`).
export const SERVICE_STATES = ['open', 'screened', 'completed'] as const;
export type ServiceStateName = (typeof SERVICE_STATES)[number];
export type ServiceAction = 'issue_part' | 'exchange' | 'screen' | 'complete';
export type ServiceAvailableAction = LifecycleAction<ServiceAction>;

type By = { by: string; byId: string; at: string };
type Bilingual = { zh: string; en: string };
export interface ServiceRow {
  id: string;
  number: string;
  device: { itemId: string; partNumber: string; name: Bilingual };
  serial: string;
  customer: string;
  serviceDate: string;
  inWarranty: boolean;
  state: ServiceStateName;
  complaint: { id: string; number: string } | null;
  version: number;
  actions: ServiceAvailableAction[];
}
export interface ServiceRecord extends ServiceRow {
  lotId: string;
  udi: { di: string | null; hri: string };
  technician: string;
  performed: string;
  testData: string;
  shipDate: string;
  warrantyMonths: number;
  warrantyEnd: string;
  createdBy: { id: string; name: string };
  createdAt: string;
  parts: Array<By & { lotId: string; lotNumber: string; partNumber: string; quantity: number }>;
  exchange: (By & { faultySerial: string; replacementLotId: string; replacementSerial: string }) | null;
  screening: (By & { possibleComplaint: boolean; reason: Bilingual | null }) | null;
  completion: (By & { summary: string; signatureId: string }) | null;
  link: { route: string; id: string };
  stream: string;
}
export interface NewServiceRecord {
  lotId: string;
  serviceDate: string;
  technician: string;
  performed: string;
  testData: string;
}

const path = (id: string) => `/service-records/${encodeURIComponent(id)}`;
export const serviceApi = {
  list: (state: ServiceStateName | '' = '') => request<ServiceRow[]>('/service-records', { query: { state } }),
  get: (id: string) => request<ServiceRecord>(path(id)),
  create: (input: NewServiceRecord) => request<ServiceRecord>('/service-records', { method: 'POST', body: input }),
  act: (id: string, action: ServiceAction, body: Record<string, unknown>) =>
    request<ServiceRecord>(`${path(id)}/actions/${action}`, { method: 'POST', body }),
};
