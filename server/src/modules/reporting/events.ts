import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';
import { CLOCK_UNITS } from './clock.ts';
import { FACTS } from './facts.ts';

// What can happen to the reporting rules of one jurisdiction (stream `reporting_rules:<code>`) and
// to a reportability decision (stream `reportability:<id>`). The shapes are the ledger's.
const Row = z.object({
  code: z.string(),
  label: BilingualView,
  amount: z.number(),
  unit: z.enum(CLOCK_UNITS),
  citation: z.string(),
  when: z.array(z.string()),
});
const Calendar = {
  timeZone: z.string(),
  weekend: z.array(z.number().int()),
  holidays: z.array(z.string()),
  /** Weekend days declared working days (China's 调休); events recorded before it existed have none. */
  workdays: z.array(z.string()).optional(),
};

export const rulesEvents = defineEvents('reporting', {
  /** The jurisdiction's rules as first recorded (the shipped defaults, or a country an administrator adds). */
  'reporting.rulesInstalled': z.object({
    jurisdiction: z.string(),
    name: BilingualView,
    ...Calendar,
    rules: z.array(Row),
  }),
  /** A row added or changed (same code: replaced in place; new code: appended). */
  'reporting.ruleSet': z.object({ row: Row }),
  'reporting.ruleRemoved': z.object({ code: z.string() }),
  /** The working-day calendar: time zone, weekend days, public holidays, adjusted working days. */
  'reporting.calendarSet': z.object(Calendar),
});

const Facts = z.object(
  Object.fromEntries(FACTS.map((f) => [f, z.boolean()])) as Record<(typeof FACTS)[number], z.ZodBoolean>,
);

export const DecidedData = z.object({
  reportable: z.boolean(),
  rationale: z.string(),
  /** The rule row the clock runs on, as it stood when the decision was made (null: not reportable). */
  rule: Row.omit({ when: true }).nullable(),
  rulesVersion: z.number().int(),
  timeZone: z.string(),
  dueAt: z.string().nullable(),
  dueDate: z.string().nullable(),
});

export const reportabilityEvents = defineEvents('reporting', {
  'reportability.opened': z.object({
    complaintId: z.string(),
    jurisdiction: z.string(),
    awareAt: z.string(),
    facts: Facts,
    /** A supplemental report (21 CFR 803.56): the decision whose submitted report it supplements. */
    supplementOf: z.string().nullable().optional(),
  }),
  /** The decision the deciding person signs ("approved"): the proposal their signature binds. */
  'reportability.decided': DecidedData,
  // the decider's signature
  [SIGNATURE_EVENT]: SignatureEventData,
  /** The report went to the regulator (21 CFR 803.12, MDR Art. 87, NMPA Art. 25): its date and reference. */
  'reportability.submitted': z.object({ submittedOn: z.string(), reference: z.string() }),
});
