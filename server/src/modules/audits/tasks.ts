import type { Task, TaskSource } from '../../records/contributions.ts';
import { hasPermission } from '../../identity/roles.ts';
import { tasksFromActions } from '../tasks/fromActions.ts';
import { auditLifecycle } from './audit.lifecycle.ts';
import type { audits } from './service.ts';
import { auditRecord } from './audit.record.ts';
import { findingRef } from './audit.lifecycle.ts';
import { capaRecord } from '../capa/capa.record.ts';
import type { capas } from '../capa/service.ts';
import { openRecords, type DocOf } from '../../records/openRecords.ts';

type Audit = DocOf<typeof audits>;
type Capa = DocOf<typeof capas>;

// What audits put in a user's inbox: reports waiting for their approval (read off
// audit.lifecycle.ts: only someone who may approve it now sees it), and, for those who manage
// audits, major and minor findings with no CAPA in the register (ISO 13485:2016 8.2.4: corrective
// action without undue delay).
export const auditTasks: TaskSource = {
  kinds: ['audit_report', 'audit_finding_without_capa'],
  async tasksFor(s, user) {
    if (!hasPermission(user, 'audits.read')) return [];
    const reported = (await openRecords<Audit>(s, auditRecord, 'reported', (a) => a.state === 'reported')).slice(
      0,
      500,
    );
    const approve = await tasksFromActions(s, user, auditLifecycle, reported, (a, x) =>
      x.action === 'approve_report'
        ? {
            id: `audit_report.${a._id}`,
            kind: 'audit_report',
            number: a.number,
            title: { zh: a.title, en: a.title },
            revision: '',
            due: null,
            link: { route: 'audit', id: a._id },
          }
        : null,
    );
    if (!hasPermission(user, 'audits.manage')) return approve;
    const withFindings = (
      await openRecords<Audit>(s, auditRecord, 'graded_findings', (a) =>
        a.findings.some((f) => f.grade === 'major' || f.grade === 'minor'),
      )
    ).slice(0, 500);
    // the CAPAs raised on audit findings, by finding reference (as service.capasOfFindings reads them)
    const raised = new Set(
      (await openRecords<Capa>(s, capaRecord, 'audit_finding', (c) => c.source?.type === 'audit_finding')).map(
        (c) => c.source.id,
      ),
    );
    const missing: Task[] = [];
    for (const a of withFindings) {
      const linked = new Set(a.findings.filter((f) => raised.has(findingRef(a._id, f.id))).map((f) => f.id));
      for (const f of a.findings)
        if (f.grade !== 'observation' && !linked.has(f.id))
          missing.push({
            id: `audit_finding_without_capa.${a._id}.${f.id}`,
            kind: 'audit_finding_without_capa',
            number: `${a.number} ${f.id}`,
            title: { zh: f.statement.slice(0, 200), en: f.statement.slice(0, 200) },
            revision: f.clause,
            due: f.capa?.due ?? null,
            link: { route: 'audit', id: a._id },
          });
    }
    return [...approve, ...missing];
  },
};
