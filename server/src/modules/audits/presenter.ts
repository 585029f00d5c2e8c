import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { availableActions } from '../../records/lifecycle.ts';
import type { AuditDoc } from './audit.record.ts';
import { auditLifecycle } from './audit.lifecycle.ts';
import type { ProgrammeDoc } from './programme.record.ts';
import { programmeLifecycle } from './programme.record.ts';
import { MAIN_CLAUSES, uncovered } from './clauses.ts';
import { audits, capasOfFindings } from './service.ts';

// The only shapes of audits and audit programmes that leave the server.
const counts = (a: AuditDoc) => ({
  major: a.findings.filter((f) => f.grade === 'major').length,
  minor: a.findings.filter((f) => f.grade === 'minor').length,
  observation: a.findings.filter((f) => f.grade === 'observation').length,
});

export function presentAuditRow(a: AuditDoc, user: SessionUser) {
  return {
    id: a._id,
    number: a.number,
    kind: a.kind,
    supplier: a.supplier,
    title: a.title,
    start: a.start,
    end: a.end,
    lead: a.lead,
    state: a.state,
    findings: counts(a),
    passed: a.passed,
    version: a.ledgerVersion,
    actions: availableActions(auditLifecycle, a, user),
  };
}

export async function presentAudit(s: Services, a: AuditDoc, user: SessionUser) {
  const linked = await capasOfFindings(s, a);
  return {
    ...presentAuditRow(a, user),
    programmeId: a.programmeId,
    scope: a.scope,
    clauses: a.clauses,
    processes: a.processes,
    auditees: a.auditees,
    auditors: a.auditors,
    criteria: a.criteria ?? '',
    agenda: a.agenda ?? [],
    checklist: a.checklist.map((c) => ({ ...c, question: c.question ?? '' })),
    findings: a.findings.map((f) => {
      const c = linked.get(f.id) ?? null;
      return { ...f, capa: c ? { ...c, link: { route: 'capa', id: c.id } } : null, capaPlanned: f.capa };
    }),
    findingCounts: counts(a),
    report: a.report,
    approval: a.approval,
    createdBy: a.createdBy,
    createdAt: a.createdAt,
    stream: `audit:${a._id}`,
  };
}

/**
 * A programme with its coverage over the cycle (ISO 13485:2016 8.2.4): the main clauses no year
 * plans, and the main clauses no closed audit of the programme has checked yet.
 */
export async function presentProgramme(s: Services, p: ProgrammeDoc, user: SessionUser) {
  const done = await audits(s).find({ programmeId: p._id }).sort({ start: 1 }).toArray();
  const planned = p.entries.flatMap((e) => e.clauses);
  const audited = done.filter((a) => a.state === 'closed').flatMap((a) => a.checklist.map((c) => c.clause));
  return {
    id: p._id,
    number: p.number,
    title: p.title,
    fromYear: p.fromYear,
    toYear: p.toYear,
    entries: p.entries,
    coverage: {
      clauses: MAIN_CLAUSES,
      notPlanned: uncovered(planned),
      notAudited: uncovered(audited),
    },
    audits: done.map((a) => ({
      id: a._id,
      number: a.number,
      title: a.title,
      start: a.start,
      state: a.state,
      passed: a.passed,
    })),
    revisions: p.revisions,
    createdBy: p.createdBy,
    createdAt: p.createdAt,
    version: p.ledgerVersion,
    actions: availableActions(programmeLifecycle, p, user),
  };
}
