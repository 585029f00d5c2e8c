import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';

// What can happen to an audit (stream `audit:<id>`) and to an audit programme (stream
// `auditProgramme:<id>`); ISO 13485:2016 8.2.4 internal audit, 7.4.1 supplier evaluation. The
// report is approved by its proposal (`audit.signingProposed`) completed by the approver's
// e-signature over exactly that state. The shapes are the ledger's: a change must still read
// every audit ever written.
const Person = z.object({ id: z.string(), name: z.string() });
export const AUDIT_KINDS = ['internal', 'supplier'] as const;
export const CHECK_RESULTS = ['conforming', 'nonconforming', 'not_audited'] as const;
export const FINDING_GRADES = ['major', 'minor', 'observation'] as const;
/** One item of the audit plan's agenda (ISO 19011:2018 6.3.2: dates, times, activities). */
const AgendaItem = z.object({
  date: z.string(),
  time: z.string(),
  topic: z.string(),
  clauses: z.array(z.string()),
  auditee: z.string(),
});

export const auditEvents = defineEvents('audit', {
  'audit.planned': z.object({
    number: z.string(),
    kind: z.enum(AUDIT_KINDS),
    supplier: z.object({ code: z.string(), name: z.object({ zh: z.string(), en: z.string() }) }).nullable(),
    programmeId: z.string().nullable(),
    title: z.string(),
    scope: z.string(),
    clauses: z.array(z.string()),
    processes: z.array(z.string()),
    /** The people whose work is audited (process owners, the audited area's staff). */
    auditees: z.array(Person),
    auditors: z.array(Person),
    lead: Person,
    start: z.string(),
    end: z.string(),
    /** The audit criteria and method (ISO 13485:2016 8.2.4; ISO 19011:2018 6.3.2); absent on early audits. */
    criteria: z.string().optional(),
    agenda: z.array(AgendaItem).optional(),
  }),
  'audit.checked': z.object({
    clause: z.string(),
    result: z.enum(CHECK_RESULTS),
    evidence: z.string(),
    /** The checklist question asked of the clause (absent on early entries). */
    question: z.string().optional(),
  }),
  'audit.findingRecorded': z.object({
    findingId: z.string(),
    clause: z.string(),
    grade: z.enum(FINDING_GRADES),
    statement: z.string(),
    evidence: z.string(),
    /** Who owns the CAPA a major or minor finding opens, and by when (null for an observation). */
    capa: z.object({ owner: Person, due: z.string() }).nullable(),
  }),
  'audit.reportSubmitted': z.object({ summary: z.string() }),
  'audit.signingProposed': z.object({ action: z.literal('approve_report') }),
  [SIGNATURE_EVENT]: SignatureEventData,
});

export const programmeEvents = defineEvents('auditProgramme', {
  'auditProgramme.planned': z.object({
    number: z.string(),
    title: z.string(),
    fromYear: z.number(),
    toYear: z.number(),
    entries: z.array(z.object({ year: z.number(), clauses: z.array(z.string()), processes: z.array(z.string()) })),
  }),
  'auditProgramme.revised': z.object({
    entries: z.array(z.object({ year: z.number(), clauses: z.array(z.string()), processes: z.array(z.string()) })),
  }),
});
