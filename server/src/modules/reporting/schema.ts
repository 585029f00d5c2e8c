import { z } from 'zod';
import { IsoDate, optional, RecordVersion, VERSION_MAX, whole } from '../../platform/fields.ts';
import { Bilingual, Credentials, Id, msg, Reason, Text } from '../../platform/schemas.ts';
import { CLOCK_UNITS } from './clock.ts';
import { FactName, FACTS, FactsInput } from './facts.ts';

// The reporting context's input, validated at the door: every field bounded, unknown fields refused.
export const JurisdictionCode = z
  .string()
  .regex(
    /^[A-Z][A-Z0-9_]{1,15}$/,
    msg('2-16 capital letters, digits or _ (e.g. US, EU, CN)', '2-16 位大写字母、数字或 _(如 US、EU、CN)'),
  );
export const RuleCode = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,39}$/,
    msg('lower-case letters, digits or _ (e.g. serious_injury)', '小写字母、数字或 _(如 serious_injury)'),
  );
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    msg('an IANA time zone (e.g. Asia/Shanghai)', 'IANA 时区(如 Asia/Shanghai)'),
  );
/** Up to one leap year of days or hours; a clock of zero would be due before it started. */
export const CLOCK_AMOUNT_MAX = 8784;
const RowValues = {
  label: Bilingual,
  amount: whole(1, CLOCK_AMOUNT_MAX),
  unit: z.enum(CLOCK_UNITS),
  citation: Text(300).min(1),
  when: z
    .array(
      z
        .string()
        .max(200)
        .refine(
          (w) => w.split('+').every((f) => FactName.safeParse(f).success),
          msg(`facts joined by "+" (${FACTS.join(', ')})`, `以"+"连接的事实(${FACTS.join(', ')})`),
        ),
    )
    .max(20)
    .default([]),
};
const Weekend = z
  .array(whole(0, 6))
  .max(6)
  .refine((w) => new Set(w).size === w.length, msg('each weekday once', '每个星期几只能出现一次'));
const Holidays = z
  .array(IsoDate)
  .max(1000)
  .refine((h) => new Set(h).size === h.length, msg('each holiday once', '每个假日只能出现一次'));
/** Weekend dates declared working days (China's 调休); a date cannot be both a holiday and a working day. */
const Workdays = z
  .array(IsoDate)
  .max(400)
  .refine((w) => new Set(w).size === w.length, msg('each working day once', '每个调休上班日只能出现一次'));
const noOverlap = (c: { holidays: string[]; workdays: string[] }) => !c.workdays.some((d) => c.holidays.includes(d));
const OVERLAP = {
  message: msg('a date cannot be both a holiday and a working day', '同一日期不能既是假日又是调休上班日'),
  path: ['workdays'],
};
/** The version the user saw of a jurisdiction's rules: 0 while they are the shipped defaults. */
const RulesVersion = whole(0, VERSION_MAX);

export const JurisdictionParams = z.strictObject({ jurisdiction: JurisdictionCode });
export const RowParams = z.strictObject({ jurisdiction: JurisdictionCode, code: RuleCode });
export const NewJurisdictionBody = z
  .strictObject({
    jurisdiction: JurisdictionCode,
    name: Bilingual,
    timeZone: TimeZone,
    weekend: Weekend,
    holidays: Holidays.default([]),
    workdays: Workdays.default([]),
    rules: z
      .array(z.strictObject({ code: RuleCode, ...RowValues }))
      .max(50)
      .refine(
        (r) => new Set(r.map((x) => x.code)).size === r.length,
        msg('each rule code once', '每个规则代码只能出现一次'),
      ),
  })
  .refine(noOverlap, OVERLAP);
export const SetRowBody = z.strictObject({ version: optional(RulesVersion), reason: Reason, ...RowValues });
export const RemoveRowBody = z.strictObject({ version: optional(RulesVersion), reason: Reason });
export const CalendarBody = z
  .strictObject({
    version: optional(RulesVersion),
    reason: Reason,
    timeZone: TimeZone,
    weekend: Weekend,
    holidays: Holidays,
    workdays: Workdays.default([]),
  })
  .refine(noOverlap, OVERLAP);

export const STATUSES = ['open', 'reportable', 'not_reportable', 'submitted'] as const;
export const DecisionQuery = z.strictObject({
  complaintId: optional(Id),
  jurisdiction: optional(JurisdictionCode),
  status: optional(z.enum(STATUSES)),
});
export const OpenBody = z.strictObject({
  complaintId: Id,
  jurisdiction: JurisdictionCode,
  awareAt: z.iso.datetime({ offset: true }),
  facts: FactsInput,
  supplementOf: optional(Id),
});
export const DecideBody = z.strictObject({
  ...Credentials,
  version: optional(RecordVersion),
  reportable: z.boolean(),
  rationale: Text(4000).min(1),
  rule: optional(RuleCode),
});
export const SubmissionBody = z.strictObject({
  version: optional(RecordVersion),
  submittedOn: IsoDate,
  reference: Text(200).min(1),
});
