import type { Lifecycle } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { todayUtc } from '../../platform/dates.ts';
import type { ReportabilityState } from './reportability.record.ts';
import { ReportingErrors } from './errors.ts';
import { reportabilityEvents } from './events.ts';
import { suggestedRule } from './defaults.ts';
import { addCalendarDays, dueDate, localDate } from './clock.ts';
import { rulesOf } from './rules.ts';

// A reportability decision's lifecycle, declared once (the API's `actions`, the command path, the
// e-signature policy and GET /lifecycles/reportability read it):
// - decide: the deciding person (reporting.decide) says yes or no with a rationale and signs it
//   "approved" (21 CFR 11.50); a yes starts the clock from the awareness date, on the rule row the
//   facts suggest or the one named, computed from the jurisdiction's rules as they are now
//   (21 CFR 803.50/803.53/803.56, EU MDR Art. 87, NMPA 2019 Art. 25-27) and kept on the record.
// - record_submission: the report went to the regulator (date, reference) (reporting.submit).
// No separation-of-duties rule: the decision is one accountable person's regulatory judgement
// (21 CFR 803.17 procedures name who decides) and it is signed by that person; a second person
// adds no independence the regulations ask for here. Who may decide is the permission.
export interface DecideInput {
  reportable: boolean;
  rationale: string;
  rule?: string;
}

export const reportabilityLifecycle: Lifecycle<ReportabilityState> = {
  record: 'reportability',
  initial: 'open',
  states: ['open', 'reportable', 'not_reportable', 'submitted'],
  final: ['not_reportable', 'submitted'],
  transitions: [
    {
      name: 'decide',
      from: ['open'],
      permission: 'reporting.decide',
      signature: { meaning: 'approved' },
      needsValues: true,
      prepare: async (c) => {
        const input = c.input as unknown as DecideInput;
        const rules = await rulesOf(c.s, c.state.jurisdiction);
        const base = {
          reportable: input.reportable,
          rationale: input.rationale,
          rulesVersion: rules.version,
          timeZone: rules.timeZone,
        };
        if (!input.reportable) return { ...base, rule: null, dueAt: null, dueDate: null };
        const row = input.rule
          ? rules.rules.find((r) => r.code === input.rule)
          : suggestedRule(rules.rules, c.state.facts);
        if (input.rule && !row)
          throw ReportingErrors.REPORTING_RULE_NOT_FOUND({ jurisdiction: rules.jurisdiction, code: input.rule });
        if (!row) throw ReportingErrors.REPORTING_RULE_REQUIRED();
        const due = dueDate(c.state.awareAt, row, rules);
        const { when: _w, ...rule } = row;
        return { ...base, rule, ...due };
      },
      event: (_s, plan) => reportabilityEvents.change('reportability.decided', plan),
    },
    {
      name: 'record_submission',
      from: ['reportable'],
      permission: 'reporting.submit',
      needsValues: true,
      prepare: async (c) => {
        const on = c.input.submittedOn as string;
        const rules = await rulesOf(c.s, c.state.jurisdiction);
        const aware = localDate(new Date(c.state.awareAt), rules.timeZone);
        // a submission is dated between the day of awareness and today (a day of grace for time zones east of UTC)
        if (on < aware || on > addCalendarDays(todayUtc(), 1)) throw ReportingErrors.SUBMISSION_DATE_INVALID();
      },
      event: (_s, _p, c) =>
        reportabilityEvents.change('reportability.submitted', {
          submittedOn: c.input.submittedOn as string,
          reference: c.input.reference as string,
        }),
    },
  ],
  stateOf: (s) => s.status,
  wrongState: (t) =>
    t.name === 'decide'
      ? refusal(ReportingErrors.REPORTABILITY_DECIDED())
      : refusal(ReportingErrors.REPORT_NOT_AWAITED()),
};
