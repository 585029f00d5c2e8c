import { request } from './request';
import type { BilingualText, LifecycleAction } from './types';

// Complaints (QMSR 21 CFR 820.35(a), ISO 13485:2016 8.2.2): the record, its UDI looked up from the
// lot or serial, IMDRF codes from the lists the server ships, the signed investigation (or reason
// for none) and QA's signed closure. What a user may do is the server's `actions`.
export type ComplaintStatus = 'open' | 'investigated' | 'closed';
export const COMPLAINT_STATUSES: ComplaintStatus[] = ['open', 'investigated', 'closed'];
export type YesNo = 'yes' | 'no' | 'unknown';
export const YES_NO: YesNo[] = ['yes', 'no', 'unknown'];
export const RELATIONSHIPS = ['related', 'possibly_related', 'not_related', 'unknown'] as const;
export type ComplaintAction =
  'record_response' | 'link_nc' | 'link_capa' | 'investigate' | 'no_investigation' | 'close';
export type ComplaintAvailableAction = LifecycleAction<ComplaintAction>;

export interface Udi {
  di: string | null;
  lot: string | null;
  serial: string | null;
  expiryDate: string | null;
  mfgDate: string | null;
  hri: string | null;
}
export interface Signed {
  by: string;
  byId: string;
  at: string;
  signatureId: string;
}
export interface ComplaintRow {
  id: string;
  stream: string;
  number: string;
  status: ComplaintStatus;
  device: { itemId: string; partNumber: string; name: BilingualText };
  udi: Udi;
  receivedDate: string;
  awarenessDate: string;
  due: string;
  overdue: boolean;
  country: string;
  complainant: string;
  codesA: string[];
  version: number;
  actions: ComplaintAvailableAction[];
}
export interface Complaint extends Omit<ComplaintRow, 'complainant'> {
  lotId: string | null;
  workOrderId: string | null;
  complainant: { name: string; address: string; phone: string; email: string };
  nature: string;
  failedSpecifications: YesNo;
  usedForTreatmentOrDiagnosis: YesNo;
  relationship: (typeof RELATIONSHIPS)[number];
  codes: { A: string[]; E: string[]; F: string[]; G: string[] };
  correction: string | null;
  reply: string | null;
  replyDate: string | null;
  ncId: string | null;
  capaId: string | null;
  createdAt: string;
  createdBy: { id: string; name: string };
  pending: { step: string; by: string } | null;
  investigation: {
    investigated: boolean;
    findings: string | null;
    rationale: string | null;
    date: string;
    codes: { B: string[]; C: string[]; D: string[]; G: string[] } | null;
    signed: Signed;
  } | null;
  closure: Signed | null;
}
export interface NewComplaint {
  lot?: string;
  itemId?: string;
  receivedDate: string;
  awarenessDate: string;
  complainant: { name: string; address: string; phone: string; email?: string };
  nature: string;
  country: string;
  failedSpecifications: YesNo;
  usedForTreatmentOrDiagnosis: YesNo;
  relationship: (typeof RELATIONSHIPS)[number];
  codes: { A: string[]; E?: string[]; F?: string[]; G?: string[] };
}
export interface ImdrfCode {
  annex: string;
  code: string;
  en: string;
  zh: string;
  zhSource: 'nmpa' | 'product';
}

const path = (id: string) => `/complaints/${encodeURIComponent(id)}`;
export const complaintsApi = {
  list: (query: { status?: ComplaintStatus | ''; product?: string; overdue?: 'true' | '' } = {}) =>
    request<ComplaintRow[]>('/complaints', { query }),
  get: (id: string) => request<Complaint>(path(id)),
  create: (input: NewComplaint) => request<Complaint>('/complaints', { method: 'POST', body: input }),
  act: (id: string, action: ComplaintAction, body: Record<string, unknown>) =>
    request<Complaint>(`${path(id)}/actions/${action}`, { method: 'POST', body }),
  codes: (annex?: string) =>
    request<{ source: { name: string; release: string }; codes: ImdrfCode[] }>('/imdrf-codes', {
      query: annex ? { annex } : {},
    }),
};
