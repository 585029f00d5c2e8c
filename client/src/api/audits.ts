import { request } from './request';
import type { LifecycleAction } from './types';

// Audits (ISO 13485:2016 8.2.4): the register and one audit; every state rule is the server's (`actions`).
export const AUDIT_STATES = ['open', 'reported', 'closed'] as const;
export type AuditStateName = (typeof AUDIT_STATES)[number];
export type AuditAction = 'check' | 'add_finding' | 'submit_report' | 'approve_report';
export type AuditAvailableAction = LifecycleAction<AuditAction>;
type Person = { id: string; name: string };
type Counts = { major: number; minor: number; observation: number };
export interface AuditRow {
  id: string;
  number: string;
  kind: 'internal' | 'supplier';
  supplier: { code: string; name: { zh: string; en: string } } | null;
  title: string;
  start: string;
  end: string;
  lead: Person;
  state: AuditStateName;
  findings: Counts;
  passed: boolean | null;
  version: number;
  actions: AuditAvailableAction[];
}
export interface Audit extends Omit<AuditRow, 'findings'> {
  scope: string;
  clauses: string[];
  processes: string[];
  auditees: Person[];
  auditors: Person[];
  checklist: Array<{ clause: string; result: string; evidence: string; by: string; at: string }>;
  findings: Array<{
    id: string;
    clause: string;
    grade: 'major' | 'minor' | 'observation';
    statement: string;
    evidence: string;
    capa: { id: string; number: string; state: string } | null;
  }>;
  findingCounts: Counts;
  report: { summary: string; by: string; at: string } | null;
  approval: { by: string; at: string } | null;
  stream: string;
}

export const auditsApi = {
  list: (state?: string) => request<AuditRow[]>('/audits', { query: state ? { state } : {} }),
  get: (id: string) => request<Audit>(`/audits/${encodeURIComponent(id)}`),
  act: (id: string, action: AuditAction, body: Record<string, unknown>) =>
    request<Audit>(`/audits/${encodeURIComponent(id)}/actions/${action}`, { method: 'POST', body }),
};
