import { request } from './request';
import type { LifecycleAction } from './types';

// Recalls / field safety corrective actions (21 CFR 806, EU MDR Art. 87/89, NMPA 召回管理办法):
// the register and one recall; every state rule is the server's (`actions`).
export const RECALL_STATES = ['draft', 'open', 'closed'] as const;
export type RecallStateName = (typeof RECALL_STATES)[number];
export const RECALL_LEVELS = ['I', 'II', 'III'] as const;
export const RECALL_KINDS = ['correction', 'removal'] as const;
export const RECALL_JURISDICTIONS = ['US', 'EU', 'CN'] as const;
export const NOTIFY_METHODS = ['letter', 'email', 'courier', 'phone', 'visit'] as const;
export const DISPOSITIONS = ['returned', 'corrected', 'destroyed', 'not_found'] as const;
export type RecallAction = 'approve' | 'notify' | 'acknowledge' | 'disposition' | 'report' | 'close';
export type RecallAvailableAction = LifecycleAction<RecallAction>;

type Signed = { by: string; byId: string; at: string; signatureId: string };
export interface RecallRow {
  id: string;
  number: string;
  title: string;
  level: string;
  kind: string;
  jurisdictions: string[];
  initiatedOn: string;
  state: RecallStateName;
  units: number;
  customers: number;
  notified: number;
  acknowledged: number;
  effectiveness: number;
  version: number;
  actions: RecallAvailableAction[];
}
export interface RecallUnit {
  lotId: string;
  lotNumber: string;
  serial: string | null;
  item: { id: string; partNumber: string; unit: string };
  shipments: Array<{ customer: string; shipDate: string; reference: string; quantity: number }>;
  shipped: number;
  open: number;
  dispositions: Array<{ disposition: string; quantity: number; date: string; note: string; by: string }>;
}
export interface RecallCustomer {
  code: string;
  name: { zh: string; en: string };
  units: number;
  lots: string[];
  notification: { date: string; method: string; reference: string; by: string } | null;
  acknowledgement: { date: string; contact: string; by: string } | null;
}
export interface RecallClock {
  code: string;
  jurisdiction: string;
  label: { zh: string; en: string };
  citation: string;
  amount: number;
  unit: string;
  dueDate: string;
  report: { date: string; reference: string } | null;
  status: 'met' | 'late' | 'overdue' | 'running';
  daysRemaining: number | null;
}
export interface Recall extends Omit<RecallRow, 'units' | 'customers' | 'effectiveness'> {
  reason: string;
  urgent: boolean;
  tracedFrom: string | null;
  createdBy: { id: string; name: string };
  stream: string;
  units: RecallUnit[];
  customers: RecallCustomer[];
  clocks: RecallClock[];
  effectiveness: {
    total: number;
    accounted: number;
    notFound: number;
    percent: number;
    series: Array<{ date: string; accounted: number; percent: number }>;
    completeOn: string | null;
  };
  approval: Signed | null;
  closure: (Signed & { summary: string }) | null;
}
export interface NewRecall {
  title: string;
  reason: string;
  level: string;
  kind: string;
  jurisdictions: string[];
  initiatedOn: string;
  urgent: boolean;
  fromLot?: string;
  lots: string[];
}

const path = (id: string) => `/recalls/${encodeURIComponent(id)}`;
export const recallApi = {
  list: (state: RecallStateName | '' = '') => request<RecallRow[]>('/recalls', { query: { state } }),
  get: (id: string) => request<Recall>(path(id)),
  create: (input: NewRecall) => request<Recall>('/recalls', { method: 'POST', body: input }),
  act: (id: string, action: RecallAction, body: Record<string, unknown>) =>
    request<Recall>(`${path(id)}/actions/${action}`, { method: 'POST', body }),
};
