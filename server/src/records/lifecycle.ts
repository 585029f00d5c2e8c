import { AppError, domainError, errors } from '../platform/errors.ts';
import { hasPermission, type Permission } from '../identity/roles.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import type { Meaning } from '../../../signatures/manifestation.ts';
import type { Services } from '../platform/services.ts';
import type { Change } from './ledgerOps.ts';

/**
 * One lifecycle engine for every controlled record type. A record type declares its states and
 * transitions (who, which signature, which preconditions); the API asks `availableActions` what
 * this user may do now, commands call `assertTransition` before writing anything, and the client
 * reads `describeLifecycle` to draw the same state machine. Nothing here touches the database.
 */
export interface Refusal {
  code: string;
  en: string;
  zh: string;
  status?: number;
  details?: unknown;
}

export interface SignatureRule {
  meaning: Meaning;
  /** How many distinct signers complete the step: a number, or a function of the record (e.g. every named reviewer). */
  count?: number | 'all';
  distinct?: boolean;
  /** The author of the version may not give this signature (segregation of duties). */
  notAuthor?: boolean;
  /**
   * The signature attests to the signer's own act (read and understood, a step performed, a
   * calibration done): never given on someone's behalf, since the delegate did not do it
   * (21 CFR 11.50/11.100(a): a signature is unique to the one whose act it records).
   */
  personal?: boolean;
}

export interface Precondition<S> {
  refusal: Refusal;
  holds(state: S, user: SessionUser): boolean;
  /** What the refusal tells the client beyond its code (e.g. the checklist items still open). */
  details?(state: S): unknown;
}

/**
 * A separation-of-duties rule (ISO 13485 4.2.4/4.2.5 independent review, 21 CFR 820.80 and
 * 11.10(g)): `rule` names it for the client and the auditor ("not_author", "not_performer",
 * "not_planner"); the refusal says it in both languages.
 */
export interface Separation<S> {
  rule: string;
  refusal: Refusal;
  violatedBy(user: SessionUser, state: S): boolean;
}

/**
 * What `prepare` returns and the later hooks of the same action receive. Each action declares
 * its own plan type on its hooks (IssuePlan, CompletionPlan…); across the actions of one
 * lifecycle they differ, so the declaration holds them untyped.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Plan = any;

/** What a command is given by the caller: the version the user saw, the credentials and the reason (+ the action's own values). */
export interface CommandInput {
  version?: number;
  password?: string;
  totp?: string;
  reason?: string;
  [field: string]: unknown;
}

/** What a transition's hooks see: the services, the acting user, the record's stream and its state as the ledger has it. */
export interface CommandContext<S> {
  s: Services;
  user: SessionUser;
  stream: string;
  id: string;
  state: S;
  input: CommandInput;
  /** Set when `user` signs as a delegate for the person whose task it is (issue 15 item 6). */
  onBehalfOf?: OnBehalfOf;
}

/** The person a delegate acts for, and the delegation that allows it now. */
export interface OnBehalfOf {
  user: SessionUser;
  delegationId: string;
}

/**
 * Why a delegate may not take `name` for `principal` (issue 15 item 6): the principal must be
 * allowed it (named, their role, separation of duties: what A could not sign, B cannot sign for A),
 * and the delegate too, except for being named (their role, training, separation of duties: B
 * cannot approve what B authored).
 */
export function delegatedRefusalOf<S>(
  decl: Lifecycle<S>,
  name: string,
  state: S,
  delegate: SessionUser,
  principal: SessionUser,
): AppError | null {
  const asDelegate = {
    ...decl,
    transitions: decl.transitions.map((t) => (t.name === name ? { ...t, who: undefined } : t)),
  };
  return refusalOf(decl, name, state, principal) ?? refusalOf(asDelegate, name, state, delegate);
}

export interface Transition<S> {
  name: string;
  from: string[];
  to?: string; // informational: where the record goes once the step is complete
  /** A permission, a predicate on the user and record, or both (both must hold). */
  permission?: Permission;
  who?(user: SessionUser, state: S): boolean;
  /** Returned when `who` fails (e.g. NOT_A_REVIEWER); FORBIDDEN otherwise. */
  whoRefusal?: Refusal;
  signature?: SignatureRule;
  needsReason?: boolean;
  needsDate?: boolean;
  preconditions?: Precondition<S>[];
  /** Which part of the record this step acts on (documents: the working or the effective revision). */
  scope?: string;
  /** Separation-of-duties rules, judged after the role and before the preconditions. */
  separation?: Separation<S>[];
  /** The action asks for values (measured values, a disposition, quantities): the client opens a form. */
  needsValues?: boolean;
  /**
   * When the action applies to a part of the record (an operation, a deviation, a line): the parts
   * this user may take it on now, each as the input fields that name it (e.g. `{ seq: 3 }`). The
   * record's `actions` list the action once per target; `prepare` reads the target from the input.
   */
  targets?(state: S, user: SessionUser): Array<Record<string, string | number>>;
  /**
   * What `prepare` would refuse this user for before any input is given (training on the step's
   * work instruction…), as a blocker the inbox and the action bar show instead of a dead button.
   */
  blockedBy?(
    s: Services,
    state: S,
    user: SessionUser,
    target?: Record<string, string | number>,
  ): Promise<Blocker | null>;

  // The command path (command.ts) runs the hooks below, in this order, each once.
  /**
   * Checks that need the input or other records (training, calibration, measured values), judged
   * after the refusal and before the credentials; what it returns is the plan the later hooks get.
   */
  prepare?(c: CommandContext<S>): unknown | Promise<unknown>;
  /** Runs only once the credentials have passed, before anything is appended: where numbers are allocated. */
  allocate?(c: CommandContext<S>, plan: Plan): Promise<void>;
  /**
   * The event the action appends: for an unsigned action its effect, for a signed action the
   * proposal the signature binds (none: the signature alone). Judged again, with `recheck`, on the
   * state it lands on. Return null to append nothing.
   */
  event?(state: S, plan: Plan, c: CommandContext<S>): Change | null;
  /** Plan checks judged again on the state the event lands on (after a lost race). */
  recheck?(state: S, plan: Plan, c: CommandContext<S>): void;
  /** Effects on other records once the command has landed (release the output lots, assign training). */
  after?(c: CommandContext<S>, result: S, plan: Plan): Promise<void>;
}

export interface Lifecycle<S> {
  record: string;
  initial: string;
  states: string[];
  final: string[];
  transitions: Transition<S>[];
  /** The state a transition is judged against. */
  stateOf(state: S, t: Transition<S>): string | null;
  author?(state: S): string | undefined;
  /** Refusal when a transition is attempted from the wrong state (default ILLEGAL_TRANSITION). */
  wrongState?(t: Transition<S>, current: string | null, state: S): Refusal | undefined;
  /**
   * Which transition a signature with `meaning` performs on `state` (default: the one declaring
   * that meaning). Record types whose signed steps are proposed first name the pending action.
   */
  signingAction?(state: S, meaning: string): string | undefined;
}

/** One action the user may take now, as every record's GET returns it (the client's one action bar draws these). */
export interface AvailableAction {
  action: string;
  signature: Meaning | null;
  needsReason: boolean;
  needsDate: boolean;
  needsValues: boolean;
  scope: string | null;
  /** The part of the record it applies to (only for actions that declare `targets`): send these fields with the action. */
  target?: Record<string, string | number>;
  /** Set (by `explainedActions`) when a check the action's `prepare` makes would refuse this user now: why, and where to fix it. */
  blockedBy?: Blocker;
}

/** Why an offered action would still be refused (untrained, equipment out of calibration…), in both languages, with the page that fixes it. */
export interface Blocker {
  code: string;
  en: string;
  zh: string;
  link?: { route: string; id: string };
}

const toError = (r: Refusal, details = r.details) => domainError(r.code, r.en, r.zh, r.status ?? 409, details);

/** Why `user` may not perform `name` on `state` now, or null when they may. */
export function refusalOf<S>(decl: Lifecycle<S>, name: string, state: S, user: SessionUser): AppError | null {
  const t = decl.transitions.find((x) => x.name === name);
  if (!t) return errors.notFound(`action "${name}"`);
  const current = decl.stateOf(state, t);
  if (current === null || !t.from.includes(current)) {
    const r = decl.wrongState?.(t, current, state);
    return r ? toError(r) : errors.illegalTransition(name, current ?? 'none');
  }
  if (t.signature?.notAuthor && decl.author?.(state) === user.id) return new AppError('SIGNER_IS_AUTHOR');
  if (t.permission && !hasPermission(user, t.permission)) return errors.forbidden(name.replace(/_/g, ' '));
  if (t.who && !t.who(user, state))
    return t.whoRefusal ? toError(t.whoRefusal) : errors.forbidden(name.replace(/_/g, ' '));
  for (const sep of t.separation ?? []) if (sep.violatedBy(user, state)) return toError(sep.refusal);
  for (const p of t.preconditions ?? [])
    if (!p.holds(state, user)) return toError(p.refusal, p.details?.(state) ?? p.refusal.details);
  return null;
}

export function assertTransition<S>(decl: Lifecycle<S>, name: string, state: S, user: SessionUser): Transition<S> {
  const refusal = refusalOf(decl, name, state, user);
  if (refusal) throw refusal;
  return decl.transitions.find((x) => x.name === name)!;
}

/** What this user may do now (preconditions included, so the client never offers a dead button). */
export function availableActions<S>(decl: Lifecycle<S>, state: S, user: SessionUser): AvailableAction[] {
  return decl.transitions
    .filter((t) => refusalOf(decl, t.name, state, user) === null)
    .flatMap((t) => {
      const action: AvailableAction = {
        action: t.name,
        signature: t.signature?.meaning ?? null,
        needsReason: !!t.needsReason,
        needsDate: !!t.needsDate,
        needsValues: !!t.needsValues,
        scope: t.scope ?? null,
      };
      return t.targets ? t.targets(state, user).map((target) => ({ ...action, target })) : [action];
    });
}

/** `availableActions`, each marked with `blockedBy` when a check of its `prepare` would refuse the user now. */
export async function explainedActions<S>(
  decl: Lifecycle<S>,
  s: Services,
  state: S,
  user: SessionUser,
): Promise<AvailableAction[]> {
  const out: AvailableAction[] = [];
  for (const a of availableActions(decl, state, user)) {
    const check = decl.transitions.find((t) => t.name === a.action)?.blockedBy;
    const blocker = check ? await check(s, state, user, a.target) : null;
    out.push(blocker ? { ...a, blockedBy: blocker } : a);
  }
  return out;
}

/** The transition a signature with `meaning` performs on `state`. */
export function transitionForMeaning<S>(decl: Lifecycle<S>, meaning: string, state?: S): Transition<S> | undefined {
  const named = state !== undefined ? decl.signingAction?.(state, meaning) : undefined;
  if (named) return decl.transitions.find((t) => t.name === named && t.signature?.meaning === meaning);
  return decl.transitions.find((t) => t.signature?.meaning === meaning);
}

/**
 * The e-signature policy of a record type, derived from its lifecycle: a meaning is allowed
 * exactly when the transition it performs is (used when signing and when verifying a signature).
 */
export function lifecycleCanSign<S>(decl: Lifecycle<S>) {
  return (user: SessionUser, meaning: string, state: S): AppError | null => {
    const t = transitionForMeaning(decl, meaning, state);
    if (!t) return new AppError('SIGNATURE_NOT_ALLOWED', { meaning });
    return refusalOf(decl, t.name, state, user);
  };
}

/** The declaration as data for the client (predicates become their refusal codes). */
export function describeLifecycle<S>(decl: Lifecycle<S>) {
  return {
    record: decl.record,
    initial: decl.initial,
    states: decl.states,
    final: decl.final,
    transitions: decl.transitions.map((t) => ({
      name: t.name,
      from: t.from,
      to: t.to ?? null,
      scope: t.scope ?? null,
      permission: t.permission ?? null,
      who: t.whoRefusal?.code ?? (t.who ? 'predicate' : null),
      separation: (t.separation ?? []).map((x) => ({
        rule: x.rule,
        code: x.refusal.code,
        en: x.refusal.en,
        zh: x.refusal.zh,
      })),
      signature: t.signature
        ? {
            meaning: t.signature.meaning,
            count: t.signature.count ?? 1,
            distinct: t.signature.distinct ?? true,
            notAuthor: !!t.signature.notAuthor,
          }
        : null,
      needsReason: !!t.needsReason,
      needsDate: !!t.needsDate,
      needsValues: !!t.needsValues,
      preconditions: (t.preconditions ?? []).map((p) => ({ code: p.refusal.code, en: p.refusal.en, zh: p.refusal.zh })),
    })),
  };
}
