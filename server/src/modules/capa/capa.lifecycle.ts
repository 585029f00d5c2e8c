import { mustExist } from '../qualityLoop/loop.ts';
import type { Change } from '../../records/ledgerOps.ts';
import type { CommandContext, Lifecycle, Precondition, Separation, Transition } from '../../records/lifecycle.ts';
import { refusal } from '../../records/refusal.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { getUser } from '../../identity/userService.ts';
import { errors } from '../../platform/errors.ts';
import { todayUtc } from '../../platform/dates.ts';
import type { Meaning } from '../../../../signatures/manifestation.ts';
import { CapaErrors as E } from './errors.ts';
import { capaEvents, SIGNED_CAPA_ACTIONS, type ProposalData } from './events.ts';
import type { CapaState } from './capa.record.ts';
import { mayOwnCapa, notPast } from './schema.ts';

// The CAPA lifecycle, declared once (ISO 13485:2016 8.5.2 / 8.5.3; QMSR 820.10 by reference):
//   evaluation --decide(QA, signed)--> in_progress | no_capa (the recorded "no CAPA" rationale ends it)
//   in_progress: containment, investigation (named root-cause method), actions with owners and
//   due dates, links to the document / DMR revisions they change, the no-harm verification (8.5.2 e/f)
//   --close(QA, not the owner, signed; schedules the effectiveness check)--> effectiveness_check
//   --record_effectiveness(QA, signed)--> closed (pass) | in_progress again, next round (fail).
// The API's `actions`, the command path, the e-signature policy and GET /lifecycles/capa read this.
type C = CapaState;
type A = (typeof SIGNED_CAPA_ACTIONS)[number];

/** The meaning of the signature that completes each signed step (21 CFR 11.50). */
export const SIGNED_MEANINGS: Record<A, Meaning> = {
  decide: 'approved',
  verify: 'verified',
  close: 'approved',
  record_effectiveness: 'verified',
  approve_extension: 'approved',
};

const OPEN = ['evaluation', 'in_progress'];
const isOwner = (u: SessionUser, c: C) => u.id === c.owner.id;
/** The owner works the CAPA; a CAPA coordinator (capa.manage) may too. */
const ownerOrCoordinator = {
  who: (u: SessionUser, c: C) => isOwner(u, c) || hasPermission(u, 'capa.manage'),
  whoRefusal: refusal(E.CAPA_NOT_OWNER()),
};

// Separation of duties (ISO 13485:2016 8.5.2 with 4.2.5 independent review; 21 CFR 11.10(g)):
// the QA approver who closes a CAPA or judges its effectiveness is not its owner.
const notOwner: Separation<C> = {
  rule: 'not_owner',
  refusal: refusal(E.CAPA_OWNER_CANNOT_APPROVE()),
  violatedBy: isOwner,
};
const notRequester: Separation<C> = {
  rule: 'not_requester',
  refusal: refusal(E.CAPA_REQUESTER_CANNOT_APPROVE()),
  violatedBy: (u, c) => c.extension?.byId === u.id,
};

const inRound = (c: C) => c.tasks.filter((t) => t.round === c.round);
const rootCause: Precondition<C> = { refusal: refusal(E.CAPA_NO_ROOT_CAUSE()), holds: (c) => !!c.investigation };
const planned: Precondition<C> = { refusal: refusal(E.CAPA_NO_ACTIONS()), holds: (c) => inRound(c).length > 0 };
const actionsDone: Precondition<C> = {
  refusal: refusal(E.CAPA_ACTIONS_OPEN()),
  holds: (c) => c.tasks.every((t) => t.status === 'done'),
  details: (c) => ({ open: c.tasks.filter((t) => t.status === 'open').map((t) => t.id) }),
};
const verified: Precondition<C> = { refusal: refusal(E.CAPA_NOT_VERIFIED()), holds: (c) => !!c.verification };
const extensionPending: Precondition<C> = { refusal: refusal(E.CAPA_NO_EXTENSION()), holds: (c) => !!c.extension };
const noExtensionPending: Precondition<C> = {
  refusal: refusal(E.CAPA_EXTENSION_PENDING()),
  holds: (c) => !c.extension,
};

const proposal = (action: A, data: ProposalData): Change => capaEvents.change('capa.signingProposed', { action, data });
const input = <T>(c: CommandContext<C>) => c.input as unknown as T;

function signed(
  name: A,
  rule: Omit<Transition<C>, 'name' | 'event' | 'signature'>,
  data: (c: CommandContext<C>) => ProposalData,
): Transition<C> {
  return {
    name,
    ...rule,
    signature: { meaning: SIGNED_MEANINGS[name] },
    event: (_s, _p, c) => proposal(name, data(c)),
  };
}
function unsigned(name: string, from: string[], event: Transition<C>['event'], extra: Partial<Transition<C>> = {}) {
  return { name, from, needsValues: true, ...ownerOrCoordinator, event, ...extra } as Transition<C>;
}

/** The open action `taskId` of this user (only its owner completes it). */
function ownTask(c: C, user: SessionUser, taskId: unknown) {
  const t = c.tasks.find((x) => x.id === taskId);
  if (!t) throw errors.notFound('CAPA action');
  if (t.owner.id !== user.id) throw E.CAPA_NOT_TASK_OWNER();
  if (t.status !== 'open') throw E.CAPA_TASK_DONE();
  return t;
}

export const capaLifecycle: Lifecycle<C> = {
  record: 'capa',
  initial: 'evaluation',
  states: ['evaluation', 'in_progress', 'effectiveness_check', 'closed', 'no_capa'],
  final: ['closed', 'no_capa'],
  transitions: [
    signed(
      'decide',
      { from: ['evaluation'], to: 'in_progress', permission: 'capa.approve', needsValues: true },
      (c) => {
        const d = input<{ decision: 'proceed' | 'no_capa'; risk: { severity: number; occurrence: number } }>(c);
        return { decision: d.decision, risk: d.risk, rationale: String(c.input.rationale) };
      },
    ),
    unsigned('contain', ['in_progress'], (_s, _p, c) =>
      capaEvents.change('capa.containmentRecorded', { containment: String(c.input.containment) }),
    ),
    unsigned('investigate', ['in_progress'], (_s, _p, c) => {
      const d = input<{ analysis: never; rootCause: string }>(c);
      return capaEvents.change('capa.investigated', { analysis: d.analysis, rootCause: d.rootCause });
    }),
    unsigned(
      'add_task',
      ['in_progress'],
      (s, plan: { owner: { id: string; name: string } }, c) => {
        const d = input<{ description: string; due: string }>(c);
        const taskId = `A${s.tasks.length + 1}`;
        return capaEvents.change('capa.taskAdded', {
          taskId,
          description: d.description,
          owner: plan.owner,
          due: d.due,
        });
      },
      {
        prepare: async (c) => {
          notPast(String(c.input.due), 'body.due');
          const u = await getUser(c.s, String(c.input.owner)).catch(() => null);
          if (!u || u.status === 'disabled') throw E.CAPA_OWNER_INACTIVE();
          mayOwnCapa(u, 'body.owner');
          return { owner: { id: u._id, name: u.fullName } };
        },
      },
    ),
    {
      // each action is completed by its own owner, with the evidence of what was done
      name: 'complete_task',
      from: ['in_progress'],
      needsValues: true,
      who: (u, c) => c.tasks.some((t) => t.status === 'open' && t.owner.id === u.id),
      whoRefusal: refusal(E.CAPA_NOT_TASK_OWNER()),
      targets: (c, u) =>
        c.tasks.filter((t) => t.status === 'open' && t.owner.id === u.id).map((t) => ({ taskId: t.id })),
      prepare: (c) => void ownTask(c.state, c.user, c.input.taskId),
      event: (s, _p, c) => {
        const t = ownTask(s, c.user, c.input.taskId);
        return capaEvents.change('capa.taskCompleted', { taskId: t.id, evidence: String(c.input.evidence) });
      },
    },
    unsigned(
      'link_change',
      ['in_progress'],
      (_s, _p, c) => capaEvents.change('capa.changeLinked', { link: input<{ link: never }>(c).link }),
      {
        // the document or DMR and its revision must exist (404 otherwise, nothing written)
        prepare: (c) => {
          const l = input<{ link: { type: 'document' | 'dmr'; id: string; revision: string } }>(c).link;
          return mustExist(c.s, l.type, l.id, l.revision);
        },
      },
    ),
    signed(
      'verify',
      {
        from: ['in_progress'],
        permission: 'capa.manage',
        needsValues: true,
        preconditions: [rootCause, planned, actionsDone],
      },
      (c) => ({ safety: String(c.input.safety), compliance: String(c.input.compliance) }),
    ),
    signed(
      'close',
      {
        from: ['in_progress'],
        to: 'effectiveness_check',
        permission: 'capa.approve',
        needsValues: true,
        separation: [notOwner],
        preconditions: [rootCause, planned, actionsDone, verified],
        prepare: (c) => {
          if (input<{ effectiveness: { due: string } }>(c).effectiveness.due <= todayUtc())
            throw E.CAPA_CHECK_TOO_EARLY();
        },
      },
      (c) => ({ effectiveness: input<{ effectiveness: { due: string; criteria: string } }>(c).effectiveness }),
    ),
    signed(
      'record_effectiveness',
      { from: ['effectiveness_check'], permission: 'capa.approve', needsValues: true, separation: [notOwner] },
      (c) => ({ result: input<{ result: 'pass' | 'fail' }>(c).result, evidence: String(c.input.evidence) }),
    ),
    unsigned(
      'request_extension',
      OPEN,
      (s, _p, c) => {
        const due = String(c.input.due);
        if (due <= s.due) throw E.CAPA_DUE_NOT_LATER();
        return capaEvents.change('capa.extensionRequested', { due }, String(c.input.reason));
      },
      { needsReason: true, preconditions: [noExtensionPending] },
    ),
    signed(
      'approve_extension',
      { from: OPEN, permission: 'capa.approve', separation: [notRequester], preconditions: [extensionPending] },
      () => ({}),
    ),
  ],
  stateOf: (c) => c.state,
  wrongState: (t, current) => refusal(E.CAPA_WRONG_STATE({ action: t.name.replace(/_/g, ' '), state: current ?? '-' })),
  // a CAPA is signed only to complete its pending step (a bare signature has nothing to complete)
  signingAction: (c) => c.pending?.action ?? 'nothing_pending',
};
