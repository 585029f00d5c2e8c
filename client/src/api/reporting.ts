import { request } from './request';
import type { BilingualText, LifecycleAction, SignatureInput } from './types';

// Reportability decisions (one per complaint and jurisdiction) and the reporting rules they run on.
export type ClockUnit = 'calendar_days' | 'working_days' | 'hours';
export interface RuleRow {
  code: string;
  label: BilingualText;
  amount: number;
  unit: ClockUnit;
  citation: string;
  when: string[];
}
export interface JurisdictionRules {
  jurisdiction: string;
  name: BilingualText;
  timeZone: string;
  weekend: number[];
  holidays: string[];
  workdays?: string[];
  rules: RuleRow[];
  version: number;
  recorded: boolean;
  changedAt: string | null;
  changedBy: string | null;
  actions: LifecycleAction<'set_rule' | 'remove_rule' | 'set_calendar'>[];
}
export type ReportabilityStatus = 'open' | 'reportable' | 'not_reportable' | 'submitted';
export const REPORTABILITY_STATUSES: ReportabilityStatus[] = ['open', 'reportable', 'not_reportable', 'submitted'];
export const FACTS = [
  'death',
  'seriousInjury',
  'malfunction',
  'unanticipatedDeterioration',
  'publicHealthThreat',
  'remedialAction',
  'regulatorRequest',
  'overseas',
  'cluster',
  'newInformation',
] as const;
export type Fact = (typeof FACTS)[number];
export type ReportabilityAction = LifecycleAction<'decide' | 'record_submission'>;
export interface Reportability {
  id: string;
  complaintId: string;
  jurisdiction: string;
  awareAt: string;
  facts: Record<Fact, boolean>;
  /** The decision whose submitted report this one supplements (21 CFR 803.56). */
  supplementOf: string | null;
  status: ReportabilityStatus;
  openedAt: string;
  openedBy: { id: string; name: string };
  decision: {
    reportable: boolean;
    rationale: string;
    rule: Omit<RuleRow, 'when'> | null;
    rulesVersion: number;
    timeZone: string;
    dueAt: string | null;
    dueDate: string | null;
    by: { id: string; name: string };
    at: string;
    signatureId: string;
  } | null;
  submission: { submittedOn: string; reference: string; by: { id: string; name: string }; at: string } | null;
  dueAt: string | null;
  dueDate: string | null;
  daysRemaining: number | null;
  hoursRemaining: number | null;
  overdue: boolean;
  late: boolean;
  version: number;
  actions: ReportabilityAction[];
}

const path = (id: string) => `/reporting/decisions/${encodeURIComponent(id)}`;
export const reportingApi = {
  rules: () => request<JurisdictionRules[]>('/reporting/rules'),
  list: (query: { complaintId?: string; jurisdiction?: string; status?: ReportabilityStatus | '' } = {}) =>
    request<Reportability[]>('/reporting/decisions', { query }),
  get: (id: string) => request<Reportability>(path(id)),
  open: (input: { complaintId: string; jurisdiction: string; awareAt: string; facts: Record<Fact, boolean> }) =>
    request<Reportability>('/reporting/decisions', { method: 'POST', body: input }),
  decide: (
    id: string,
    input: Partial<SignatureInput> & { reportable: boolean; rationale: string; rule?: string; version: number },
  ) => request<Reportability>(`${path(id)}/decide`, { method: 'POST', body: input }),
  submit: (id: string, input: { submittedOn: string; reference: string; version: number }) =>
    request<Reportability>(`${path(id)}/submission`, { method: 'POST', body: input }),
  setCalendar: (
    jurisdiction: string,
    input: {
      version: number;
      reason: string;
      timeZone: string;
      weekend: number[];
      holidays: string[];
      workdays: string[];
    },
  ) => request<JurisdictionRules>(`/reporting/rules/${jurisdiction}/calendar`, { method: 'PUT', body: input }),
};
