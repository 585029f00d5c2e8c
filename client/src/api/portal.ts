import { request } from './request';
import type { BilingualText, Signature } from './types';

// Auditor access: grants (administrators) and the read-only portal (auditors).
export type GrantStatus = 'active' | 'expired' | 'revoked' | 'scheduled';
export interface Grant {
  id: string;
  stream: string;
  auditor: { id: string; name: string };
  from: string;
  to: string;
  scope: { items: Array<{ id: string; partNumber: string; name: BilingualText | string }> };
  purpose: string;
  status: GrantStatus;
  grantedBy: string;
  grantedAt: string;
  revoked: { by: string; at: string; reason: string } | null;
  ledgerVersion: number;
}
export interface NewGrant {
  auditorId: string;
  from: string;
  to: string;
  itemIds: string[];
  purpose: string;
}
export interface PortalRecordRef {
  stream: string;
  type: string;
  id: string;
  number: string;
  title: BilingualText | string;
  state: string;
  ledgerVersion: number;
}
export interface LedgerCheck {
  ok: boolean;
  findings: unknown[];
  head: { version: number; hash: string };
  /** The latest signed checkpoint that sealed this stream, and whether it covers the current head. */
  checkpoint?: { seq: number; at: string; coversHead: boolean } | null;
}
export interface PortalRecord {
  record: Record<string, unknown>;
  signatures: Signature[];
  ledger: LedgerCheck;
}
export interface PortalAuditLine {
  version: number;
  at: string;
  actor: string | { name: string };
  type: string;
  reason: string | null;
  hash: string;
}

const grant = (id: string) => `/portal/grants/${encodeURIComponent(id)}`;
const record = (grantId: string, stream: string) => `${grant(grantId)}/records/${encodeURIComponent(stream)}`;
export const grantsApi = {
  list: () => request<Grant[]>('/audit-grants'),
  create: (input: NewGrant) => request<Grant>('/audit-grants', { method: 'POST', body: input }),
  revoke: (id: string, reason: string) =>
    request<Grant>(`/audit-grants/${encodeURIComponent(id)}/revoke`, { method: 'POST', body: { reason } }),
};
export const portalApi = {
  grants: () => request<Grant[]>('/portal/grants'),
  records: (grantId: string, type?: string) =>
    request<PortalRecordRef[]>(`${grant(grantId)}/records`, { query: { type } }),
  record: (grantId: string, stream: string, silent = false) =>
    request<PortalRecord>(record(grantId, stream), { silent }),
  auditTrail: (grantId: string, stream: string) => request<PortalAuditLine[]>(`${record(grantId, stream)}/audit-trail`),
  pdfUrl: (grantId: string, stream: string) => `/api/v1${record(grantId, stream)}/pdf`,
  bundleUrl: (grantId: string) => `/api/v1${grant(grantId)}/bundle`,
};
