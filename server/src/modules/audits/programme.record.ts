import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { Projected } from '../../records/projector.ts';
import type { Lifecycle } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { errors } from '../../platform/errors.ts';
import { programmeEvents } from './events.ts';

// An audit programme (ISO 13485:2016 8.2.4: "an audit programme shall be planned, taking into
// consideration the status and importance of the processes and area to be audited"): a cycle of
// years, each year the clauses and processes planned, as data. Stream `auditProgramme:<id>`. Its
// coverage (which clauses the cycle leaves out, which are audited) is computed by the presenter.
export interface ProgrammeEntry {
  year: number;
  clauses: string[];
  processes: string[];
}
export interface ProgrammeState {
  id: string;
  number: string;
  title: string;
  fromYear: number;
  toYear: number;
  entries: ProgrammeEntry[];
  state: 'active';
  createdBy: { id: string; name: string };
  createdAt: string;
  revisions: Array<{ by: string; at: string; reason: string }>;
}
export type ProgrammeDoc = Projected<ProgrammeState>;
export const AUDIT_PROGRAMMES = 'audit_programmes';

function reduce(s: ProgrammeState | undefined, event: LedgerEvent): ProgrammeState {
  const e = programmeEvents.typed(event);
  if (e.type === 'auditProgramme.planned')
    return {
      id: e.stream.slice('auditProgramme:'.length),
      ...e.data,
      state: 'active',
      createdBy: { id: e.actor.id, name: e.actor.name },
      createdAt: e.at,
      revisions: [],
    };
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before auditProgramme.planned`);
  return {
    ...s,
    entries: e.data.entries,
    revisions: [...s.revisions, { by: e.actor.name, at: e.at, reason: e.reason ?? '' }],
  };
}

/** The programme's one action: revise the plan, with the reason (the cycle stays). */
export const programmeLifecycle: Lifecycle<ProgrammeState> = {
  record: 'auditProgramme',
  initial: 'active',
  states: ['active'],
  final: [],
  transitions: [
    {
      name: 'revise',
      from: ['active'],
      permission: 'audits.manage',
      needsValues: true,
      needsReason: true,
      event: (_s, _p, c) =>
        programmeEvents.change(
          'auditProgramme.revised',
          { entries: c.input.entries as ProgrammeEntry[] },
          String(c.input.reason),
        ),
    },
  ],
  stateOf: (p) => p.state,
  wrongState: () => refusal(errors.conflict('programme')),
};

export const programmeRecord = defineRecordType<ProgrammeState>({
  type: 'auditProgramme',
  collection: AUDIT_PROGRAMMES,
  reduce,
  content: (s) => s,
  events: programmeEvents,
  lifecycle: programmeLifecycle,
  canRead: (user) => hasPermission(user, 'audits.read'),
});
