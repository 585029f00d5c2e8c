import { request } from './request';
import type { LifecycleAction } from './types';

// Returns (RMA): a shipped unit or lot received back into quarantine, inspected and decided by
// signature (restock, rework, scrap, return to supplier). Every state rule is the server's (`actions`).
export const RMA_STATES = ['open', 'received', 'inspected', 'decided'] as const;
export type RmaStateName = (typeof RMA_STATES)[number];
export const RMA_DECISIONS = ['restock', 'rework', 'scrap', 'return_to_supplier'] as const;
export type RmaAction = 'receive' | 'inspect' | (typeof RMA_DECISIONS)[number];
export type RmaAvailableAction = LifecycleAction<RmaAction>;

type By = { by: string; byId: string; at: string };
export interface RmaRow {
  id: string;
  number: string;
  lot: {
    id: string;
    lotNumber: string;
    serial: string | null;
    kind: 'lot' | 'serial';
    item: { id: string; partNumber: string; name: { zh: string; en: string }; unit: string };
  };
  customer: string;
  quantity: number;
  state: RmaStateName;
  decision: string | null;
  createdAt: string;
  version: number;
  actions: RmaAvailableAction[];
}
export interface Rma extends Omit<RmaRow, 'decision'> {
  shipDate: string | null;
  warrantyEnd: string | null;
  customerReason: string;
  createdBy: { id: string; name: string };
  receipt: (By & { location: string }) | null;
  inspection: (By & { findings: string; conforming: boolean }) | null;
  decision: (By & { decision: string; reason: string; signatureId: string; lotDecision?: string }) | null;
  link: { route: string; id: string };
  stream: string;
}
export interface NewRma {
  lotId: string;
  customer: string;
  quantity: number;
  customerReason: string;
}

const path = (id: string) => `/returns/${encodeURIComponent(id)}`;
export const returnsApi = {
  list: (state: RmaStateName | '' = '') => request<RmaRow[]>('/returns', { query: { state } }),
  get: (id: string) => request<Rma>(path(id)),
  create: (input: NewRma) => request<Rma>('/returns', { method: 'POST', body: input }),
  act: (id: string, action: RmaAction, body: Record<string, unknown>) =>
    request<Rma>(`${path(id)}/actions/${action}`, { method: 'POST', body }),
};
