import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import type { Projected } from '../../records/projector.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Jurisdiction } from './defaults.ts';
import { rulesEvents } from './events.ts';
import { rulesLifecycle } from './rules.lifecycle.ts';

// The reporting rules of one jurisdiction (stream `reporting_rules:<code>`): the rows
// (severity → amount and unit, with the citation) and the working-day calendar. An
// administrator or QA manager changes them through the command path (rules.lifecycle.ts).
export interface RulesState extends Jurisdiction {
  status: 'active';
  changedAt: string;
  changedBy: string;
}
export type RulesDoc = Projected<RulesState>;
export const REPORTING_RULES = 'reporting_rules';

function reduce(s: RulesState | undefined, event: LedgerEvent): RulesState {
  const e = rulesEvents.typed(event);
  const stamp = { changedAt: e.at, changedBy: e.actor.name };
  if (e.type === 'reporting.rulesInstalled') return { ...e.data, status: 'active', ...stamp };
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before reporting.rulesInstalled`);
  switch (e.type) {
    case 'reporting.ruleSet': {
      const row = e.data.row;
      const known = s.rules.some((r) => r.code === row.code);
      return {
        ...s,
        ...stamp,
        rules: known ? s.rules.map((r) => (r.code === row.code ? row : r)) : [...s.rules, row],
      };
    }
    case 'reporting.ruleRemoved':
      return { ...s, ...stamp, rules: s.rules.filter((r) => r.code !== e.data.code) };
    case 'reporting.calendarSet':
      return { ...s, ...stamp, ...e.data };
    default:
      return s;
  }
}

export const rulesRecord = defineRecordType<RulesState>({
  type: 'reporting_rules',
  collection: REPORTING_RULES,
  reduce,
  content: ({ changedAt: _a, changedBy: _b, ...rest }) => rest,
  events: rulesEvents,
  lifecycle: rulesLifecycle,
  canRead: (user) => hasPermission(user, 'records.read'),
});
