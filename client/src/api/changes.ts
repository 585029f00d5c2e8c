import { request } from './request';
import type { LifecycleAction } from './types';

// Change requests (ECO, ISO 13485:2016 7.3.9 / 4.1.4); every rule is the server's (`actions`).
type Bi = { zh: string; en: string };
export const IMPACT_QUESTIONS = [
  'function',
  'performance',
  'usability',
  'safety',
  'regulatory',
  'riskFile',
  'verificationValidation',
  'labeling',
  'suppliers',
  'inventory',
  'workOrders',
  'delivered',
] as const;
export type ImpactQuestion = (typeof IMPACT_QUESTIONS)[number];
export type Impact = Record<ImpactQuestion, { affected: boolean; note: string }>;
export interface ChangeRow {
  id: string;
  number: string;
  title: Bi;
  state: string;
  requester: { id: string; name: string };
  classification: { class: 'minor' | 'major'; regulatoryNotification: boolean; rationale: string } | null;
  effectiveDate: string | null;
  createdAt: string;
}
export interface Change extends Omit<ChangeRow, 'items'> {
  reason: string;
  items: Array<{
    kind: 'document' | 'dmr';
    id: string;
    revision: string;
    number: string;
    title: Bi;
    state: string | null;
  }>;
  refs: Array<{ kind: string; id: string; rowId?: string; label: string }>;
  capaId: string | null;
  impact: Impact | null;
  workOrders: Array<{ id: string; number: string; revision: string; decision: { decision: string } | null }>;
  /** The effectiveness check: scheduled (due date, criteria), then judged by signature. */
  effectiveness: {
    dueDate: string;
    criteria: string;
    result: 'effective' | 'not_effective' | null;
    evidence: string | null;
    checkedBy: { id: string; name: string } | null;
    checkedAt: string | null;
  } | null;
  version: number;
  actions: LifecycleAction[];
}
const path = (id: string) => `/changes/${encodeURIComponent(id)}`;
export const changesApi = {
  list: () => request<ChangeRow[]>('/changes'),
  get: (id: string) => request<Change>(path(id)),
  open: (body: Record<string, unknown>) => request<Change>('/changes', { method: 'POST', body }),
  draft: (id: string, body: Record<string, unknown>) => request<Change>(`${path(id)}/draft`, { method: 'PUT', body }),
  act: (id: string, action: string, body: Record<string, unknown>) =>
    request<Change>(`${path(id)}/actions/${action}`, { method: 'POST', body }),
};
