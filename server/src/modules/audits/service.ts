import { randomUUID } from 'node:crypto';
import type { Filter } from 'mongodb';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { asUser, runCommand } from '../../records/command.ts';
import { yearlyNumber } from '../../records/ledgerOps.ts';
import { streamOf } from '../../records/registry.ts';
import { usersCollection } from '../../identity/userService.ts';
import { hasPermission } from '../../identity/roles.ts';
import { suppliers } from '../suppliers/service.ts';
import { capas } from '../capa/service.ts';
import { AuditErrors as E } from './errors.ts';
import { auditEvents, programmeEvents } from './events.ts';
import { AUDITS, type AuditDoc } from './audit.record.ts';
import { AUDIT_PROGRAMMES, type ProgrammeDoc } from './programme.record.ts';
import { findingRef } from './audit.lifecycle.ts';
import type { AuditAction, CreateAudit, CreateProgramme } from './schema.ts';

export const audits = (s: Services) => s.db.collection<AuditDoc>(AUDITS);
export const programmes = (s: Services) => s.db.collection<ProgrammeDoc>(AUDIT_PROGRAMMES);

/** Active users by id, each as { id, name }; an unknown or disabled one is refused (409, nothing written). */
async function people(s: Services, ids: string[]) {
  const uniq = [...new Set(ids)];
  const found = await usersCollection(s)
    .find({ _id: { $in: uniq }, status: { $ne: 'disabled' } })
    .toArray();
  const byId = new Map(found.map((u) => [u._id, { id: u._id, name: u.fullName }]));
  const missing = uniq.find((id) => !byId.has(id));
  if (missing) throw E.AUDIT_PERSON_INACTIVE({ user: missing });
  return byId;
}

/**
 * The audit team records checklists, findings and the report (audit.lifecycle.ts: `audits.manage`
 * and being one of its auditors): someone whose roles do not grant `audits.manage` could never do
 * their part (ISO 13485:2016 8.2.4: auditors conduct the audit and record it), so is refused at the
 * field, before anything is numbered or written.
 */
async function mayAudit(s: Services, ids: string[]) {
  const found = await usersCollection(s)
    .find({ _id: { $in: [...new Set(ids)] } }, { projection: { roles: 1, fullName: 1 } })
    .toArray();
  const cannot = found.filter((u) => !hasPermission(u, 'audits.manage'));
  if (cannot.length)
    throw errors.validation('body.auditors', {
      en: `${cannot.map((u) => u.fullName).join(', ')} may not conduct audits (their roles do not plan or record audits)`,
      zh: `${cannot.map((u) => u.fullName).join('、')} 无权实施审核(其角色不能策划或记录审核)`,
    });
}

/**
 * Plans an audit (not a lifecycle action: there is no record yet); runs as the user, so its number
 * and first event carry them. Independence (ISO 13485:2016 8.2.4 "auditors shall not audit their
 * own work"): no auditor may be one of the auditees — the owners of the audited processes and the
 * people of the audited area, as the plan names them. A supplier audit names a supplier that exists.
 */
export function planAudit(s: Services, user: SessionUser, b: CreateAudit) {
  return asUser(user, async () => {
    let supplier: { code: string; name: { zh: string; en: string } } | null = null;
    if (b.supplier) {
      const found = await suppliers(s).findOne({ _id: b.supplier });
      if (!found) throw errors.notFound('supplier');
      supplier = { code: found.code, name: found.name };
    }
    if (b.programmeId) {
      const p = await programmes(s).findOne({ _id: b.programmeId });
      if (!p) throw errors.notFound('audit programme');
      const year = Number(b.start.slice(0, 4));
      if (year < p.fromYear || year > p.toYear) throw E.AUDIT_PROGRAMME_YEAR();
    }
    const byId = await people(s, [...b.auditors, ...b.auditees]);
    const clash = b.auditors.find((a) => b.auditees.includes(a));
    if (clash) throw E.AUDITOR_NOT_INDEPENDENT({ auditor: byId.get(clash)!.name });
    await mayAudit(s, b.auditors);
    const number = await yearlyNumber(s, 'AUD');
    const id = randomUUID();
    const planned = auditEvents.change('audit.planned', {
      number,
      kind: b.kind,
      supplier,
      programmeId: b.programmeId ?? null,
      title: b.title,
      scope: b.scope,
      clauses: b.clauses,
      processes: b.processes,
      auditees: [...new Set(b.auditees)].map((x) => byId.get(x)!),
      auditors: [...new Set(b.auditors)].map((x) => byId.get(x)!),
      lead: byId.get(b.lead)!,
      start: b.start,
      end: b.end,
      criteria: b.criteria,
      agenda: b.agenda,
    });
    await s.ledger.append(streamOf('audit', id), planned.type, planned.data, { expectedVersion: 0 });
    return getAudit(s, id);
  });
}

export async function getAudit(s: Services, id: string): Promise<AuditDoc> {
  const a = await audits(s).findOne({ _id: id });
  if (!a) throw errors.notFound('audit');
  return a;
}

/** One action on an audit, through the one command path (audit.lifecycle.ts). */
export async function actOnAudit(s: Services, user: SessionUser, id: string, action: AuditAction, input: object) {
  await getAudit(s, id);
  await runCommand(s, user, streamOf('audit', id), action, input as Record<string, unknown>);
  return getAudit(s, id);
}

export async function listAudits(s: Services, f: { state?: string; kind?: string }): Promise<AuditDoc[]> {
  const q: Filter<AuditDoc> = {};
  if (f.state) q.state = f.state as AuditDoc['state'];
  if (f.kind) q.kind = f.kind as AuditDoc['kind'];
  return audits(s).find(q).sort({ start: -1 }).limit(1000).toArray();
}

/** The CAPAs opened from this audit's findings, by finding id (read from the CAPA register by source). */
export async function capasOfFindings(s: Services, a: AuditDoc) {
  const refs = a.findings.map((f) => findingRef(a._id, f.id));
  if (!refs.length) return new Map<string, { id: string; number: string; state: string }>();
  const list = await capas(s)
    .find(
      { 'source.type': 'audit_finding', 'source.id': { $in: refs } },
      { projection: { number: 1, state: 1, source: 1 } },
    )
    .toArray();
  return new Map(
    list.map((c) => [c.source.id.slice(a._id.length + 1), { id: c._id, number: c.number, state: c.state }]),
  );
}

export function planProgramme(s: Services, user: SessionUser, b: CreateProgramme) {
  return asUser(user, async () => {
    const number = await yearlyNumber(s, 'AUP');
    const id = randomUUID();
    const planned = programmeEvents.change('auditProgramme.planned', { number, ...b });
    await s.ledger.append(streamOf('auditProgramme', id), planned.type, planned.data, { expectedVersion: 0 });
    return getProgramme(s, id);
  });
}

export async function getProgramme(s: Services, id: string): Promise<ProgrammeDoc> {
  const p = await programmes(s).findOne({ _id: id });
  if (!p) throw errors.notFound('audit programme');
  return p;
}

export async function reviseProgramme(s: Services, user: SessionUser, id: string, input: object) {
  await getProgramme(s, id);
  await runCommand(s, user, streamOf('auditProgramme', id), 'revise', input as Record<string, unknown>);
  return getProgramme(s, id);
}

export const listProgrammes = (s: Services) => programmes(s).find({}).sort({ fromYear: -1 }).limit(200).toArray();
