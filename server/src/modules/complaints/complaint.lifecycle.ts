import type { Lifecycle, Separation, Transition } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { todayUtc } from '../../platform/dates.ts';
import type { Meaning } from '../../../../signatures/manifestation.ts';
import type { ComplaintState } from './complaint.record.ts';
import { ComplaintErrors as E } from './errors.ts';
import { complaintEvents, SIGNED_STEPS } from './events.ts';
import { mustExist } from '../qualityLoop/loop.ts';

// A complaint's lifecycle, declared once: its `actions`, the command path (records/command.ts),
// the e-signature policy (canSign, derived) and GET /lifecycles/complaint read this.
//
// ISO 13485:2016 8.2.2 / QMSR 820.35(a)(6): each complaint is investigated, or the justification
// for not investigating is documented; either is signed by the person who decided it. Closure is
// QA's signature (permission complaints.close), and whoever investigated (or decided no
// investigation was needed) does not close: the closing review must be independent of the work
// it reviews (ISO 13485:2016 8.2.2 and 5.5.1 responsibilities; 21 CFR 11.10(g) authority checks),
// otherwise one person could both conclude "no problem" and accept that conclusion alone.
// Links to an NC or a CAPA (ISO 13485 8.2.2 f), 8.3, 8.5.2) are unsigned facts, allowed in any
// state: a CAPA may be opened after the complaint closed.

type C = ComplaintState;
export const STEP_MEANING: Record<(typeof SIGNED_STEPS)[number], Meaning> = {
  investigate: 'reviewed',
  no_investigation: 'reviewed',
  close: 'approved',
};
const ALL = ['open', 'investigated', 'closed'];

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
const codesOf = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

export const NOT_INVESTIGATOR: Separation<C> = {
  rule: 'not_investigator',
  refusal: refusal(E.COMPLAINT_CLOSER_INVESTIGATED()),
  violatedBy: (u, c) => c.investigation?.signed.byId === u.id,
};

const link = (name: string, field: 'ncId' | 'capaId'): Transition<C> => ({
  name,
  from: ALL,
  permission: 'complaints.manage',
  needsValues: true,
  // the NC or CAPA linked must exist (404 otherwise, nothing written): the loop is navigable
  prepare: (ctx) => mustExist(ctx.s, field === 'ncId' ? 'nc' : 'capa', String(ctx.input[field])),
  event: (_c, _p, ctx) =>
    field === 'ncId'
      ? complaintEvents.change('complaint.ncLinked', { ncId: String(ctx.input.ncId) })
      : complaintEvents.change('complaint.capaLinked', { capaId: String(ctx.input.capaId) }),
});

export const complaintLifecycle: Lifecycle<C> = {
  record: 'complaint',
  initial: 'open',
  states: ALL,
  final: ['closed'],
  transitions: [
    {
      name: 'record_response',
      from: ['open', 'investigated'],
      permission: 'complaints.manage',
      needsValues: true,
      event: (c, _p, ctx) =>
        complaintEvents.change('complaint.responseRecorded', {
          correction: str(ctx.input.correction) ?? c.correction,
          reply: str(ctx.input.reply) ?? c.reply,
          replyDate: str(ctx.input.replyDate) ?? c.replyDate,
        }),
    },
    link('link_nc', 'ncId'),
    link('link_capa', 'capaId'),
    {
      name: 'investigate',
      from: ['open'],
      to: 'investigated',
      permission: 'complaints.manage',
      signature: { meaning: STEP_MEANING.investigate },
      needsValues: true,
      event: (_c, _p, ctx) =>
        complaintEvents.change('complaint.stepProposed', {
          step: 'investigate',
          findings: str(ctx.input.findings),
          rationale: null,
          date: str(ctx.input.date) ?? todayUtc(),
          codes: {
            B: codesOf(ctx.input.codesB),
            C: codesOf(ctx.input.codesC),
            D: codesOf(ctx.input.codesD),
            G: codesOf(ctx.input.codesG),
          },
        }),
    },
    {
      name: 'no_investigation',
      from: ['open'],
      to: 'investigated',
      permission: 'complaints.manage',
      signature: { meaning: STEP_MEANING.no_investigation },
      needsReason: true,
      event: (_c, _p, ctx) =>
        complaintEvents.change(
          'complaint.stepProposed',
          {
            step: 'no_investigation',
            findings: null,
            rationale: String(ctx.input.reason),
            date: todayUtc(),
            codes: null,
          },
          String(ctx.input.reason),
        ),
    },
    {
      name: 'close',
      from: ['investigated'],
      to: 'closed',
      permission: 'complaints.close',
      signature: { meaning: STEP_MEANING.close },
      separation: [NOT_INVESTIGATOR],
      event: (_c, _p, ctx) =>
        complaintEvents.change(
          'complaint.stepProposed',
          { step: 'close', findings: null, rationale: str(ctx.input.reason), date: todayUtc(), codes: null },
          str(ctx.input.reason) ?? undefined,
        ),
    },
  ],
  stateOf: (c) => c.status,
  wrongState: (t, current) =>
    refusal(E.COMPLAINT_WRONG_STATE({ action: t.name.replace(/_/g, ' '), status: current ?? 'none' })),
  // a complaint is signed only to complete its pending step (proposed by the step's own action)
  signingAction: (c) => c.pending?.step ?? 'nothing_pending',
};
