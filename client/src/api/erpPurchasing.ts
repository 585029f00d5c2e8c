import { apiUrl, request } from './request';
import type {
  Credentials,
  DispositionDecision,
  Inspection,
  InspectionStatus,
  NewPo,
  Po,
  PoStatus,
  PoSummary,
  ReceiptInput,
  Requisition,
  ResultsInput,
  SamplingPlan,
} from './erpTypes';

// Requisitions, purchase orders with their receipts, and incoming inspections.
const enc = encodeURIComponent;
const poPath = (id: string) => `/purchase-orders/${enc(id)}`;

export interface NewRequisition {
  note?: string;
  lines: Array<{ itemId: string; quantity: number; needBy: string }>;
}
export interface ReceiptResult {
  receiptId: string;
  lots: string[];
  inspections: string[];
  po: Po;
}

export const requisitionsApi = {
  list: () => request<Requisition[]>('/requisitions'),
  create: (input: NewRequisition) => request<Requisition>('/requisitions', { method: 'POST', body: input }),
  cancel: (id: string, reason: string, version: number) =>
    request<Requisition>(`/requisitions/${enc(id)}/cancel`, { method: 'POST', body: { reason, version } }),
};

export const purchaseOrdersApi = {
  list: (query: { status?: PoStatus | ''; supplier?: string } = {}) =>
    request<PoSummary[]>('/purchase-orders', { query }),
  get: (id: string) => request<Po>(poPath(id)),
  create: (input: NewPo) => request<Po>('/purchase-orders', { method: 'POST', body: input }),
  issue: (id: string, version?: number) => request<Po>(`${poPath(id)}/issue`, { method: 'POST', body: { version } }),
  approve: (id: string, version: number, credentials: Credentials) =>
    request<Po>(`${poPath(id)}/approve`, { method: 'POST', body: { version, ...credentials } }),
  end: (id: string, how: 'cancel' | 'close', reason: string, version?: number) =>
    request<Po>(`${poPath(id)}/${how}`, { method: 'POST', body: { reason, version } }),
  receive: (id: string, input: ReceiptInput) =>
    request<ReceiptResult>(`${poPath(id)}/receipts`, { method: 'POST', body: input }),
  settings: () => request<{ approvalThresholdCny: number }>('/purchasing/settings'),
};

export const inspectionsApi = {
  list: (query: { status?: InspectionStatus | ''; lot?: string } = {}) =>
    request<Inspection[]>('/inspections', { query }),
  get: (id: string) => request<Inspection>(`/inspections/${enc(id)}`),
  plan: (lotSize: number, aql: number) => request<SamplingPlan>('/sampling-plan', { query: { lotSize, aql } }),
  results: (id: string, input: ResultsInput) =>
    request<Inspection>(`/inspections/${enc(id)}/results`, { method: 'POST', body: input }),
  dispose: (
    id: string,
    decision: DispositionDecision,
    credentials: Credentials & { reason?: string; description?: string },
  ) =>
    request<Inspection>(`/inspections/${enc(id)}/disposition`, { method: 'POST', body: { decision, ...credentials } }),
};

/** Certificates of analysis: a PDF uploaded at receipt, referenced from the lot as `sha256:<hex>`. */
export interface UploadedCertificate {
  ref: string;
  sha256: string;
  name: string;
  size: number;
}
export const certificatesApi = {
  upload: (file: File) => {
    const form = new FormData();
    form.append('file', file);
    return request<UploadedCertificate>('/certificates', { method: 'POST', body: form });
  },
  /** The stored PDF behind a `sha256:` reference, or null for a free-text reference. */
  url: (ref: string | null | undefined) => {
    const m = /^sha256:([0-9a-f]{64})$/.exec(ref ?? '');
    return m ? apiUrl(`/certificates/${m[1]}`) : null;
  },
};
