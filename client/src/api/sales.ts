import { request } from './request';
import type { BilingualText, LifecycleAction } from './types';

// Sales orders: lines by item, released stock allocated FEFO or by serial, shipments through each
// lot's own ship with the UDIs shipped, delivery confirmation. Every rule is the server's.
export const SO_STATUSES = [
  'draft',
  'confirmed',
  'allocated',
  'partially_shipped',
  'shipped',
  'delivered',
  'cancelled',
] as const;
export type SoStatus = (typeof SO_STATUSES)[number];
export type SoAction = 'confirm' | 'allocate' | 'deallocate' | 'ship' | 'deliver' | 'cancel';
export type SoAvailableAction = LifecycleAction<SoAction>;

export interface SoAllocation {
  lotId: string;
  lotNumber: string;
  serial: string | null;
  expiryDate: string | null;
  quantity: number;
}
export interface SoLine {
  lineId: string;
  item: { id: string; partNumber: string; name: BilingualText; unit: string; control: string; gtin: string | null };
  quantity: number;
  requestedDate: string;
  allocations: SoAllocation[];
  allocated: number;
  shipped: number;
}
export interface SoShipment {
  id: string;
  number: string;
  carrier: string;
  reference: string;
  shipDate: string;
  lines: Array<SoAllocation & { lineId: string; udi: string | null }>;
  by: string;
  at: string;
  delivery: { deliveredOn: string; receivedBy: string; by: string; at: string } | null;
}
export interface SalesOrder {
  id: string;
  stream: string;
  number: string;
  status: SoStatus;
  customer: { code: string; name: BilingualText };
  customerPo: string | null;
  lines: SoLine[];
  shipments: SoShipment[];
  createdBy: string;
  createdAt: string;
  confirmed: { by: string; at: string } | null;
  cancellation: { reason: string; by: string; at: string } | null;
  version: number;
  actions: SoAvailableAction[];
}
export interface Candidate {
  lotId: string;
  lotNumber: string;
  serial: string | null;
  expiryDate: string | null;
  quantity: number;
  available: number;
}

const path = (id: string) => `/sales-orders/${encodeURIComponent(id)}`;
export const salesApi = {
  list: (query: { status?: SoStatus | ''; customer?: string } = {}) =>
    request<SalesOrder[]>('/sales-orders', { query }),
  get: (id: string) => request<SalesOrder>(path(id)),
  create: (body: {
    customer: string;
    customerPo?: string;
    lines: Array<{ itemId: string; quantity: number; requestedDate: string }>;
  }) => request<SalesOrder>('/sales-orders', { method: 'POST', body }),
  candidates: (id: string, lineId: string) =>
    request<Candidate[]>(`${path(id)}/lines/${encodeURIComponent(lineId)}/candidates`),
  act: (id: string, action: SoAction, body: Record<string, unknown>) =>
    request<SalesOrder>(`${path(id)}/${action}`, { method: 'POST', body }),
};
