import type { Lifecycle } from '../../records/lifecycle.ts';
import type { RulesState } from './rules.record.ts';
import type { RuleRow } from './defaults.ts';
import { ReportingErrors } from './errors.ts';
import { rulesEvents } from './events.ts';

// Changing a jurisdiction's reporting rules, declared once: an administrator or QA manager
// (permission reporting.rules) sets or removes a row, or sets the working-day calendar, each with
// a reason (21 CFR 11.10(e): the audit trail says who changed what and why). The data — not code —
// decides every clock after the change; decisions already made keep the row they were made on.
export const rulesLifecycle: Lifecycle<RulesState> = {
  record: 'reporting_rules',
  initial: 'active',
  states: ['active'],
  final: [],
  transitions: [
    {
      name: 'set_rule',
      from: ['active'],
      permission: 'reporting.rules',
      needsReason: true,
      needsValues: true,
      event: (_s, _p, c) => rulesEvents.change('reporting.ruleSet', { row: c.input.row as RuleRow }, c.input.reason),
    },
    {
      name: 'remove_rule',
      from: ['active'],
      permission: 'reporting.rules',
      needsReason: true,
      needsValues: true,
      prepare: (c) => {
        const code = c.input.code as string;
        if (!c.state.rules.some((r) => r.code === code))
          throw ReportingErrors.REPORTING_RULE_NOT_FOUND({ jurisdiction: c.state.jurisdiction, code });
      },
      event: (_s, _p, c) =>
        rulesEvents.change('reporting.ruleRemoved', { code: c.input.code as string }, c.input.reason),
    },
    {
      name: 'set_calendar',
      from: ['active'],
      permission: 'reporting.rules',
      needsReason: true,
      needsValues: true,
      event: (_s, _p, c) => {
        const { timeZone, weekend, holidays, workdays } = c.input as unknown as {
          timeZone: string;
          weekend: number[];
          holidays: string[];
          workdays: string[];
        };
        return rulesEvents.change('reporting.calendarSet', { timeZone, weekend, holidays, workdays }, c.input.reason);
      },
    },
  ],
  stateOf: (s) => s.status,
};
