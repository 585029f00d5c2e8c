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
export interface AgendaItem {
  date: string;
  time: string;
  topic: string;
  clauses: string[];
  auditee: string;
}
export interface Audit extends Omit<AuditRow, 'findings'> {
  scope: string;
  criteria: string;
  agenda: AgendaItem[];
  clauses: string[];
  processes: string[];
  auditees: Person[];
  auditors: Person[];
  checklist: Array<{ clause: string; question: string; result: string; evidence: string; by: string; at: string }>;
  findings: Array<{
    id: string;
    clause: string;
    grade: 'major' | 'minor' | 'observation';
    statement: string;
    evidence: string;
    capa: { id: string; number: string; state: string } | null;
    /** The CAPA owner and due date the finding named (null for an observation). */
    capaPlanned: { owner: Person; due: string } | null;
  }>;
  findingCounts: Counts;
  report: { summary: string; by: string; at: string } | null;
  approval: { by: string; at: string } | null;
  stream: string;
}

/** A new audit's plan (POST /audits): auditors independent of the auditees (ISO 13485:2016 8.2.4). */
export interface NewAudit {
  kind: 'internal' | 'supplier';
  supplier?: string;
  programmeId?: string;
  title: string;
  scope: string;
  criteria: string;
  clauses: string[];
  processes: string[];
  auditees: string[];
  auditors: string[];
  lead: string;
  start: string;
  end: string;
  agenda: AgendaItem[];
}
export interface ProgrammeEntry {
  year: number;
  clauses: string[];
  processes: string[];
}
export interface Programme {
  id: string;
  number: string;
  title: string;
  fromYear: number;
  toYear: number;
  entries: ProgrammeEntry[];
  coverage: { clauses: string[]; notPlanned: string[]; notAudited: string[] };
  audits: Array<{
    id: string;
    number: string;
    title: string;
    start: string;
    state: AuditStateName;
    passed: boolean | null;
  }>;
  revisions: Array<{ by: string; at: string; reason: string }>;
  version: number;
  actions: LifecycleAction<'revise'>[];
}

export const auditsApi = {
  list: (state?: string) => request<AuditRow[]>('/audits', { query: state ? { state } : {} }),
  create: (body: NewAudit) => request<Audit>('/audits', { method: 'POST', body }),
  clauses: () => request<{ clauses: string[]; main: string[] }>('/audit-clauses'),
  programmes: () => request<Programme[]>('/audit-programmes'),
  programme: (id: string) => request<Programme>(`/audit-programmes/${encodeURIComponent(id)}`),
  createProgramme: (body: { title: string; fromYear: number; toYear: number; entries: ProgrammeEntry[] }) =>
    request<Programme>('/audit-programmes', { method: 'POST', body }),
  reviseProgramme: (id: string, body: { entries: ProgrammeEntry[]; reason: string; version: number }) =>
    request<Programme>(`/audit-programmes/${encodeURIComponent(id)}/actions/revise`, { method: 'POST', body }),
  get: (id: string) => request<Audit>(`/audits/${encodeURIComponent(id)}`),
  act: (id: string, action: AuditAction, body: Record<string, unknown>) =>
    request<Audit>(`/audits/${encodeURIComponent(id)}/actions/${action}`, { method: 'POST', body }),
};
