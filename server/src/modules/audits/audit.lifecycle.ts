import type { CommandContext, Lifecycle, Precondition, Separation } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { getUser } from '../../identity/userService.ts';
import { recordCapa } from '../capa/service.ts';
import { notPast } from '../capa/schema.ts';
import { AuditErrors as E } from './errors.ts';
import { auditEvents } from './events.ts';
import type { AuditState } from './audit.record.ts';

// The audit lifecycle, declared once (ISO 13485:2016 8.2.4; 7.4.1 for supplier audits):
//   open: the auditors record the checklist by clause and the findings (major / minor /
//   observation; a major or minor finding opens a CAPA, 8.2.4 "the management responsible for
//   the area being audited shall ensure that any necessary corrections and corrective actions
//   are taken without undue delay" and 8.5.2)
//   --submit_report(lead auditor, every planned clause checked)--> reported
//   --approve_report(audits.approve, not an auditor of this audit, signed "approved")--> closed
// The API's `actions`, the command path, the e-signature policy and GET /lifecycles/audit read this.
type A = AuditState;
const input = <T>(c: CommandContext<A>) => c.input as unknown as T;
const isAuditor = (u: SessionUser, a: A) => a.auditors.some((x) => x.id === u.id);
const auditor = { who: isAuditor, whoRefusal: refusal(E.AUDIT_NOT_AUDITOR()) };

// separation of duties (ISO 13485:2016 4.2.5 review and approval; 8.2.4 objectivity): the report
// is approved by someone who did not audit
const notAuditor: Separation<A> = {
  rule: 'not_auditor',
  refusal: refusal(E.AUDIT_AUDITOR_CANNOT_APPROVE()),
  violatedBy: isAuditor,
};
const checklistComplete: Precondition<A> = {
  refusal: refusal(E.AUDIT_CHECKLIST_INCOMPLETE()),
  holds: (a) => a.clauses.every((c) => a.checklist.some((x) => x.clause === c)),
  details: (a) => ({ open: a.clauses.filter((c) => !a.checklist.some((x) => x.clause === c)) }),
};
function inPlan(a: A, clause: unknown) {
  if (!a.clauses.includes(String(clause))) throw E.AUDIT_CLAUSE_NOT_IN_PLAN({ clause: String(clause) });
}

/** The source a finding's CAPA names (CAPA `source.type` audit_finding): `<auditId>.<findingId>`. */
export const findingRef = (auditId: string, findingId: string) => `${auditId}.${findingId}`;

type FindingInput = {
  clause: string;
  grade: 'major' | 'minor' | 'observation';
  statement: string;
  evidence: string;
  capaOwner?: string;
  capaDue?: string;
};

export const auditLifecycle: Lifecycle<A> = {
  record: 'audit',
  initial: 'open',
  states: ['open', 'reported', 'closed'],
  final: ['closed'],
  transitions: [
    {
      name: 'check',
      from: ['open'],
      permission: 'audits.manage',
      ...auditor,
      needsValues: true,
      targets: (a) => a.clauses.map((clause) => ({ clause })),
      prepare: (c) => inPlan(c.state, c.input.clause),
      event: (_a, _p, c) => {
        const d = input<{ clause: string; result: 'conforming'; evidence: string; question?: string }>(c);
        return auditEvents.change('audit.checked', {
          clause: d.clause,
          result: d.result,
          evidence: d.evidence,
          question: d.question ?? '',
        });
      },
    },
    {
      name: 'add_finding',
      from: ['open'],
      permission: 'audits.manage',
      ...auditor,
      needsValues: true,
      prepare: async (c) => {
        const d = input<FindingInput>(c);
        inPlan(c.state, d.clause);
        if (d.grade === 'observation') return { capa: null };
        notPast(String(d.capaDue), 'body.capaDue');
        const u = await getUser(c.s, String(d.capaOwner)).catch(() => null);
        if (!u || u.status === 'disabled') throw E.AUDIT_PERSON_INACTIVE({ user: String(d.capaOwner) });
        return { capa: { owner: { id: u._id, name: u.fullName }, due: String(d.capaDue) } };
      },
      event: (a, plan: { capa: { owner: { id: string; name: string }; due: string } | null }, c) => {
        const d = input<FindingInput>(c);
        return auditEvents.change('audit.findingRecorded', {
          findingId: `F${a.findings.length + 1}`,
          clause: d.clause,
          grade: d.grade,
          statement: d.statement,
          evidence: d.evidence,
          capa: plan.capa,
        });
      },
      // a major or minor finding opens its CAPA through the CAPA module (source: this finding);
      // the audit finds it back by that source, so the link reads both ways
      after: async (c, a) => {
        const f = a.findings[a.findings.length - 1];
        if (!f?.capa) return;
        await recordCapa(c.s, c.user, {
          title: `${a.number} ${f.id} (ISO 13485 ${f.clause})`.slice(0, 200),
          source: { type: 'audit_finding', id: findingRef(a.id, f.id) },
          problem: f.statement,
          owner: f.capa.owner.id,
          due: f.capa.due,
        });
      },
    },
    {
      name: 'submit_report',
      from: ['open'],
      to: 'reported',
      permission: 'audits.manage',
      who: (u, a) => u.id === a.lead.id,
      whoRefusal: refusal(E.AUDIT_NOT_LEAD()),
      needsValues: true,
      preconditions: [checklistComplete],
      event: (_a, _p, c) => auditEvents.change('audit.reportSubmitted', { summary: String(c.input.summary) }),
    },
    {
      name: 'approve_report',
      from: ['reported'],
      to: 'closed',
      permission: 'audits.approve',
      separation: [notAuditor],
      signature: { meaning: 'approved' },
      event: () => auditEvents.change('audit.signingProposed', { action: 'approve_report' }),
    },
  ],
  stateOf: (a) => a.state,
  wrongState: (t, current) =>
    refusal(E.AUDIT_WRONG_STATE({ action: t.name.replace(/_/g, ' '), state: current ?? '-' })),
  signingAction: (a) => a.pending?.action ?? 'nothing_pending',
};
