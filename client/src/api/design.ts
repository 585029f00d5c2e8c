import { request } from './request';
import type { LifecycleAction } from './types';

// Design controls (ISO 13485:2016 7.3): projects, elements, trace links, the live trace matrix
// and its gaps. Every state rule is the server's (`actions`).
export const ELEMENT_KINDS = ['need', 'input', 'output', 'verification', 'validation', 'review', 'transfer'] as const;
export type ElementKind = (typeof ELEMENT_KINDS)[number];
export type DesignAvailableAction = LifecycleAction;
type Bilingual = { zh: string; en: string };
type Person = { id: string; name: string };

export interface DesignProject {
  id: string;
  title: Bilingual;
  item: { id: string; partNumber: string; name: Bilingual };
  dmrId: string | null;
  planRevision: string;
  planState: 'draft' | 'approved';
  stages: Array<{ key: string; name: Bilingual; responsible: Person; reviewPlanned: boolean }>;
  approvedBy: Person | null;
  version: number;
  actions: DesignAvailableAction[];
}
export interface DesignElement {
  id: string;
  kind: ElementKind;
  code: string;
  state: 'draft' | 'approved';
  current: string;
  approved: string | null;
  revisions: Array<{ revision: string; state: string; content: Record<string, unknown> & { title: Bilingual } }>;
  version: number;
  actions: DesignAvailableAction[];
}
type End = { id: string; kind: ElementKind; code: string };
export interface DesignLink {
  id: string;
  from: End;
  to: End;
  suspect: { element: { id: string; code: string }; revision: string } | null;
  version: number;
  actions: DesignAvailableAction[];
}
/**
 * GET …/trace-matrix, compact: each element and link once; rows of positions
 * [need, input, output, verification, inputLink, outputLink, verificationLink] into `elements`
 * and `links`; a need's validations once as [need, validation, link] (views/design/traceMatrix.ts
 * expands it into TraceRow cells).
 */
export interface TraceMatrix {
  elements: Array<{
    id: string;
    kind: ElementKind;
    code: string;
    title: Bilingual;
    state: string;
    revision: string;
    result: TraceCell['result'];
  }>;
  links: Array<{ id: string; from: number; to: number; suspect: boolean }>;
  rows: Array<
    [number | null, number | null, number | null, number | null, number | null, number | null, number | null]
  >;
  validations: Array<[number, number, number]>;
  suspect: number;
}
/** One cell of the matrix as the page draws it. */
export interface TraceCell {
  id: string;
  code: string;
  title: Bilingual;
  state: string;
  revision: string;
  result: 'pending' | 'pass' | 'fail' | null;
  link: { id: string; suspect: boolean } | null;
}
export interface TraceRow {
  need: TraceCell | null;
  input: TraceCell | null;
  output: TraceCell | null;
  verification: TraceCell | null;
  validations: TraceCell[];
}
export interface TraceGap {
  kind: string;
  element: End;
  link?: string;
}

const P = '/design-projects';
export const designApi = {
  projects: () => request<DesignProject[]>(P),
  project: (id: string) => request<DesignProject>(`${P}/${id}`),
  createProject: (body: { title: Bilingual; itemId: string; dmrId?: string }) =>
    request<DesignProject>(P, { method: 'POST', body }),
  projectAct: (id: string, action: string, body: Record<string, unknown>) =>
    request<DesignProject>(`${P}/${id}/actions/${action}`, { method: 'POST', body }),
  elements: (id: string) => request<DesignElement[]>(`${P}/${id}/elements`),
  createElement: (id: string, body: { kind: ElementKind; code: string; content: Record<string, unknown> }) =>
    request<DesignElement>(`${P}/${id}/elements`, { method: 'POST', body }),
  elementAct: (id: string, action: string, body: Record<string, unknown>) =>
    request<DesignElement>(`/design-elements/${id}/actions/${action}`, { method: 'POST', body }),
  links: (id: string) => request<DesignLink[]>(`${P}/${id}/links`),
  createLink: (id: string, body: { from: string; to: string }) =>
    request<DesignLink>(`${P}/${id}/links`, { method: 'POST', body }),
  confirmLink: (id: string, linkId: string, body: Record<string, unknown>) =>
    request<DesignLink>(`${P}/${id}/links/${linkId}/confirm`, { method: 'POST', body }),
  matrix: (id: string) => request<TraceMatrix>(`${P}/${id}/trace-matrix`),
  gaps: (id: string) => request<TraceGap[]>(`${P}/${id}/gaps`),
};
