import { z } from 'zod';
import { Code, Credentials, Id, msg, Text } from '../../platform/schemas.ts';
import { IsoDate, optional, RecordVersion, whole } from '../../platform/fields.ts';
import { AUDIT_KINDS, CHECK_RESULTS, FINDING_GRADES } from './events.ts';
import { isClause } from './clauses.ts';

// The audits' input shapes (ISO 13485:2016 8.2.4). Clause numbers are checked against the
// standard's clause list (clauses.ts); a plan's dates run forwards; every list is bounded.
export const Clause = z.string().refine(isClause, msg('not a clause of ISO 13485:2016', '不是 ISO 13485:2016 的条款'));
const Clauses = z
  .array(Clause)
  .min(1)
  .max(100)
  .refine((l) => new Set(l).size === l.length, msg('clauses repeat', '条款重复'));
const Processes = z.array(Text(200).min(1)).max(50);
const Year = whole(2000, 2100);
const Version = { version: optional(RecordVersion) };
/** One agenda item of the audit plan (ISO 19011:2018 6.3.2): a day of the audit, a time, an activity. */
const AgendaItem = z
  .object({
    date: IsoDate,
    time: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, msg('a time as HH:MM', '时间格式为 HH:MM'))
      .default(''),
    topic: Text(500).min(1),
    clauses: z.array(Clause).max(20).default([]),
    auditee: Text(200).default(''),
  })
  .strict();

export const CreateAuditBody = z
  .object({
    kind: z.enum(AUDIT_KINDS),
    /** The supplier audited (a supplier audit only; ISO 13485:2016 7.4.1). */
    supplier: optional(Code),
    programmeId: optional(Id),
    title: Text(200).min(1),
    scope: Text(4000).min(1),
    clauses: Clauses,
    processes: Processes.default([]),
    /** The people whose work is audited: process owners, the audited department's staff. */
    auditees: z.array(Id).max(50).default([]),
    auditors: z.array(Id).min(1).max(10),
    /** The lead auditor: one of the auditors. */
    lead: Id,
    start: IsoDate,
    end: IsoDate,
    /** The audit criteria (ISO 13485:2016 8.2.4 "the audit criteria, scope, interval and methods"). */
    criteria: Text(2000).default(''),
    /** The audit plan's agenda (ISO 19011:2018 6.3.2), every item on a day of the audit. */
    agenda: z.array(AgendaItem).max(100).default([]),
  })
  .strict()
  .refine((b) => b.start <= b.end, { path: ['end'], message: msg('ends before it starts', '结束日期早于开始日期') })
  .refine((b) => b.agenda.every((x) => x.date >= b.start && x.date <= b.end), {
    path: ['agenda'],
    message: msg('every agenda item falls on a day of the audit', '每个议程项须在审核日期内'),
  })
  .refine((b) => b.auditors.includes(b.lead), {
    path: ['lead'],
    message: msg('the lead auditor is one of the auditors', '审核组长必须是审核员之一'),
  })
  .refine((b) => (b.kind === 'supplier') === !!b.supplier, {
    path: ['supplier'],
    message: msg('a supplier audit names its supplier (and only it)', '供应商审核须指定供应商(仅供应商审核)'),
  });
export type CreateAudit = z.infer<typeof CreateAuditBody>;

const Entry = z.object({ year: Year, clauses: Clauses, processes: Processes.default([]) }).strict();
const Entries = z.array(Entry).min(1).max(20);
export const CreateProgrammeBody = z
  .object({ title: Text(200).min(1), fromYear: Year, toYear: Year, entries: Entries })
  .strict()
  .refine((b) => b.fromYear <= b.toYear && b.toYear - b.fromYear < 10, {
    path: ['toYear'],
    message: msg('a cycle of 1 to 10 years, forwards', '周期应为 1 至 10 年且按时间顺序'),
  })
  .refine((b) => b.entries.every((e) => e.year >= b.fromYear && e.year <= b.toYear), {
    path: ['entries'],
    message: msg('every year falls in the cycle', '每一年都须在周期内'),
  });
export type CreateProgramme = z.infer<typeof CreateProgrammeBody>;

export const AuditQuery = z
  .object({ state: optional(z.enum(['open', 'reported', 'closed'])), kind: optional(z.enum(AUDIT_KINDS)) })
  .strict();

export const AUDIT_ACTION_BODIES = {
  check: z
    .object({
      clause: Clause,
      /** The checklist question asked of the clause. */
      question: Text(2000).default(''),
      result: z.enum(CHECK_RESULTS),
      evidence: Text(4000).min(1),
      ...Version,
    })
    .strict(),
  add_finding: z
    .object({
      clause: Clause,
      grade: z.enum(FINDING_GRADES),
      statement: Text(4000).min(1),
      evidence: Text(4000).min(1),
      capaOwner: optional(Id),
      capaDue: optional(IsoDate),
      ...Version,
    })
    .strict()
    .refine((b) => b.grade === 'observation' || (!!b.capaOwner && !!b.capaDue), {
      path: ['capaOwner'],
      message: msg(
        'a major or minor finding names its CAPA owner and due date',
        '严重或一般不符合项须指定 CAPA 负责人和到期日',
      ),
    }),
  submit_report: z.object({ summary: Text(8000).min(1), ...Version }).strict(),
  approve_report: z.object({ ...Credentials, ...Version }).strict(),
} as const;
export type AuditAction = keyof typeof AUDIT_ACTION_BODIES;

export const ReviseProgrammeBody = z.object({ entries: Entries, reason: Text(2000).min(1), ...Version }).strict();
