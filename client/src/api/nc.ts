import { request } from './request';
import type { BilingualText, LifecycleAction, SignatureInput } from './types';

// Nonconformances (ISO 13485:2016 8.3): one record for every source, its lots held at once, the
// MRB's dispositions per lot and quantity, closure by QA signature.
export type NcStatus = 'open' | 'closed';
export const NC_STATUSES: NcStatus[] = ['open', 'closed'];
export const NC_SOURCES = [
  'incoming_inspection',
  'production',
  'complaint',
  'internal_audit',
  'supplier',
  'customer_return',
] as const;
export type NcSourceKind = (typeof NC_SOURCES)[number];
export type Decision = 'use_as_is' | 'rework' | 'return_to_supplier' | 'scrap' | 'regrade';
export const MRB_DECISIONS: Exclude<Decision, 'use_as_is'>[] = ['rework', 'return_to_supplier', 'scrap', 'regrade'];
export type NcAction = 'use_as_is' | 'dispose' | 'verify_rework' | 'link_capa' | 'close';
export type NcAvailableAction = LifecycleAction<NcAction>;

export interface NcLot {
  lotId: string;
  lotNumber: string;
  serial: string | null;
  quantity: number;
  unit: string;
  undisposed: number;
}
export interface NcDisposition {
  id: string;
  lotId: string;
  decision: Decision;
  quantity: number;
  justification: string;
  location: string | null;
  by: string;
  at: string;
  signatureId: string;
  reverificationRequired: boolean;
  reverification: { by: string; at: string; note: string } | null;
}
export interface Nc {
  id: string;
  stream: string;
  number: string;
  status: NcStatus;
  source: { kind: NcSourceKind } & Record<string, string | null>;
  item: { id: string; partNumber: string; name: BilingualText };
  supplier: { code: string; name: BilingualText } | null;
  lots: NcLot[];
  description: string;
  detectionPoint: string | null;
  containment: string;
  openedBy: string;
  openedAt: string;
  dispositions: NcDisposition[];
  capaId: string | null;
  closure: { by: string; at: string; note: string } | null;
  version: number;
  actions: NcAvailableAction[];
}

/** Each action's route (POST /ncs/:id/<path>). */
const PATH: Record<NcAction, string> = {
  use_as_is: 'use-as-is',
  dispose: 'dispose',
  verify_rework: 'verify-rework',
  link_capa: 'link-capa',
  close: 'close',
};
const path = (id: string) => `/ncs/${encodeURIComponent(id)}`;
export const ncApi = {
  list: (query: { status?: NcStatus | ''; source?: NcSourceKind | ''; owner?: string } = {}) =>
    request<Nc[]>('/ncs', { query }),
  get: (id: string) => request<Nc>(path(id)),
  /** Opens an NC (POST /ncs); its lots go on hold at once. */
  open: (body: Record<string, unknown>) => request<Nc>('/ncs', { method: 'POST', body }),
  act: (id: string, action: NcAction, body: Partial<SignatureInput> & Record<string, unknown>) =>
    request<Nc>(`${path(id)}/${PATH[action]}`, { method: 'POST', body }),
};
