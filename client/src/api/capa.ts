import { request } from './request';
import type { LifecycleAction } from './types';

// CAPA (ISO 13485:2016 8.5.2 corrective action, 8.5.3 preventive action): the register and one
// CAPA with its actions; every state rule is the server's (`actions`).
export const CAPA_STATES = ['evaluation', 'in_progress', 'effectiveness_check', 'closed', 'no_capa'] as const;
export type CapaStateName = (typeof CAPA_STATES)[number];
export const CAPA_SOURCES = ['nc', 'complaint', 'audit_finding', 'trend', 'management_review'] as const;
export type CapaSource = (typeof CAPA_SOURCES)[number];
export const SIX_M = ['man', 'machine', 'method', 'material', 'measurement', 'environment'] as const;
export type CapaAction =
  | 'decide'
  | 'contain'
  | 'investigate'
  | 'add_task'
  | 'complete_task'
  | 'link_change'
  | 'verify'
  | 'close'
  | 'record_effectiveness'
  | 'request_extension'
  | 'approve_extension';
export type CapaAvailableAction = LifecycleAction<CapaAction>;

type Person = { id: string; name: string };
type Signed = { by: string; byId: string; at: string; signatureId: string };
export type RootCauseAnalysis =
  | { method: 'five_why'; whys: Array<{ why: string; answer: string }> }
  | { method: 'fishbone'; categories: Record<(typeof SIX_M)[number], string[]> }
  | {
      method: 'fault_tree';
      nodes: Array<{ id: string; parent: string | null; kind: 'and' | 'or' | 'basic'; label: string }>;
    };
export interface CapaTask {
  id: string;
  round: number;
  description: string;
  owner: Person;
  due: string;
  status: 'open' | 'done';
  evidence: string | null;
  doneAt: string | null;
}
export interface CapaRow {
  id: string;
  stream: string;
  number: string;
  title: string;
  source: { type: CapaSource; id: string };
  owner: Person;
  state: CapaStateName;
  due: string;
  overdue: boolean;
  openTasks: number;
  createdAt: string;
  version: number;
  actions: CapaAvailableAction[];
}
export interface Capa extends CapaRow {
  problem: string;
  createdBy: Person;
  round: number;
  decision: (Signed & { decision: string; risk: { severity: number; occurrence: number }; rationale: string }) | null;
  containment: { text: string; by: string; at: string } | null;
  investigation: { analysis: RootCauseAnalysis; rootCause: string; by: string; at: string } | null;
  tasks: CapaTask[];
  links: Array<{ type: 'document' | 'dmr'; id: string; revision: string; by: string; at: string }>;
  verification: (Signed & { safety: string; compliance: string }) | null;
  closure: Signed | null;
  effectiveness: { due: string; criteria: string } | null;
  checks: Array<Signed & { round: number; due: string; criteria: string; result: 'pass' | 'fail'; evidence: string }>;
  extension: { due: string; reason: string; by: string; at: string } | null;
  extensions: Array<Signed & { from: string; to: string; reason: string; requestedBy: string }>;
}
export interface NewCapa {
  title: string;
  source: { type: CapaSource; id: string };
  problem: string;
  owner: string;
  due: string;
}
export interface CapaQuery {
  state?: CapaStateName | '';
  source?: CapaSource | '';
  owner?: string;
  overdue?: 'true' | '';
  /** The finished device of the CAPA's source NC or complaint (item id). */
  product?: string;
}

const path = (id: string) => `/capas/${encodeURIComponent(id)}`;
export const capaApi = {
  list: (query: CapaQuery = {}) => request<CapaRow[]>('/capas', { query: { ...query } }),
  get: (id: string) => request<Capa>(path(id)),
  create: (input: NewCapa) => request<Capa>('/capas', { method: 'POST', body: input }),
  act: (id: string, action: CapaAction, body: Record<string, unknown>) =>
    request<Capa>(`${path(id)}/actions/${action}`, { method: 'POST', body }),
};
