import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { auditEvents } from './events.ts';
import { auditLifecycle } from './audit.lifecycle.ts';
import { decisionBy } from '../../records/principal.ts';

// An internal or supplier audit (ISO 13485:2016 8.2.4; 7.4.1): one stream `audit:<id>`. Its plan
// (scope, clauses, dates, auditors, auditees) is fixed when it is planned; the checklist by clause
// and the findings are recorded by its auditors; the lead auditor submits the report and someone
// who did not audit approves it by signature. Pass (the KPI "audit pass rate"): closed with no
// major finding.
type Person = { id: string; name: string };
export type AuditStateName = 'open' | 'reported' | 'closed';
export interface Finding {
  id: string;
  clause: string;
  grade: 'major' | 'minor' | 'observation';
  statement: string;
  evidence: string;
  capa: { owner: Person; due: string } | null;
  by: string;
  at: string;
}
export interface AuditState {
  id: string;
  number: string;
  kind: 'internal' | 'supplier';
  supplier: { code: string; name: { zh: string; en: string } } | null;
  programmeId: string | null;
  title: string;
  scope: string;
  clauses: string[];
  processes: string[];
  auditees: Person[];
  auditors: Person[];
  lead: Person;
  start: string;
  end: string;
  criteria: string;
  agenda: Array<{ date: string; time: string; topic: string; clauses: string[]; auditee: string }>;
  state: AuditStateName;
  checklist: Array<{ clause: string; question: string; result: string; evidence: string; by: string; at: string }>;
  findings: Finding[];
  report: { summary: string; by: string; at: string } | null;
  approval: { by: string; byId: string; at: string; signatureId: string } | null;
  pending: { action: 'approve_report'; byId: string } | null;
  createdBy: Person;
  createdAt: string;
  /** Closed with no major finding (null while the audit is not closed). */
  passed: boolean | null;
}
export type AuditDoc = Projected<AuditState>;

export const AUDITS = 'audits';
declareIndexes(AUDITS, [
  { key: { state: 1, start: -1 }, name: 'state_start' },
  { key: { programmeId: 1 }, name: 'programme' },
]);

/** What the report approval binds: the whole audit as it stands (signatures are events of their own). */
const auditContent = (s: AuditState) => s;

function reduce(s: AuditState | undefined, event: LedgerEvent): AuditState {
  const e = auditEvents.typed(event);
  if (e.type === 'audit.planned') {
    return {
      id: e.stream.slice('audit:'.length),
      ...e.data,
      criteria: e.data.criteria ?? '',
      agenda: e.data.agenda ?? [],
      state: 'open',
      checklist: [],
      findings: [],
      report: null,
      approval: null,
      pending: null,
      createdBy: { id: e.actor.id, name: e.actor.name },
      createdAt: e.at,
      passed: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before audit.planned`);
  const who = { by: e.actor.name, at: e.at };
  switch (e.type) {
    case 'audit.checked':
      // one result per clause: a later entry replaces the earlier one
      return {
        ...s,
        checklist: [
          ...s.checklist.filter((c) => c.clause !== e.data.clause),
          { ...e.data, question: e.data.question ?? '', ...who },
        ].sort((a, b) => a.clause.localeCompare(b.clause, 'en', { numeric: true })),
      };
    case 'audit.findingRecorded': {
      const { findingId, ...f } = e.data;
      return { ...s, findings: [...s.findings, { id: findingId, ...f, ...who }] };
    }
    case 'audit.reportSubmitted':
      return { ...s, state: 'reported', report: { summary: e.data.summary, ...who } };
    case 'audit.signingProposed':
      return { ...s, pending: { action: e.data.action, byId: e.actor.id } };
    case SIGNATURE_EVENT: {
      const sig = e.data;
      if (!s.pending || sig.signer?.id !== s.pending.byId || sig.meaning !== 'approved') return s;
      if (!signatureCounts(s, event, auditContent)) return s;
      return {
        ...s,
        pending: null,
        state: 'closed',
        approval: decisionBy(sig),
        passed: !s.findings.some((f) => f.grade === 'major'),
      };
    }
    default:
      return s;
  }
}

export const auditRecord = defineRecordType<AuditState>({
  type: 'audit',
  collection: AUDITS,
  reduce,
  content: auditContent,
  events: auditEvents,
  lifecycle: auditLifecycle,
  canRead: (user) => hasPermission(user, 'audits.read'),
});
