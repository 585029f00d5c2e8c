import { AppError, domainError, errors } from '../platform/errors.ts';
import { hasPermission, type Permission } from '../identity/roles.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import type { Meaning } from '../../../signatures/manifestation.ts';

/**
 * One lifecycle engine for every controlled record type. A record type declares its states and
 * transitions (who, which signature, which preconditions); the API asks `availableActions` what
 * this user may do now, commands call `assertTransition` before writing anything, and the client
 * reads `describeLifecycle` to draw the same state machine. Nothing here touches the database.
 */
export interface Refusal { code: string; en: string; zh: string; status?: number }

export interface SignatureRule {
  meaning: Meaning;
  /** How many distinct signers complete the step: a number, or a function of the record (e.g. every named reviewer). */
  count?: number | 'all';
  distinct?: boolean;
  /** The author of the version may not give this signature (segregation of duties). */
  notAuthor?: boolean;
}

export interface Precondition<S> { refusal: Refusal; holds(state: S, user: SessionUser): boolean }

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
  wrongState?(t: Transition<S>, current: string | null): Refusal | undefined;
}

export interface AvailableAction { action: string; signature: Meaning | null; needsReason: boolean; needsDate: boolean }

const toError = (r: Refusal) => domainError(r.code, r.en, r.zh, r.status ?? 409);

/** Why `user` may not perform `name` on `state` now, or null when they may. */
export function refusalOf<S>(decl: Lifecycle<S>, name: string, state: S, user: SessionUser): AppError | null {
  const t = decl.transitions.find((x) => x.name === name);
  if (!t) return errors.notFound(`action "${name}"`);
  const current = decl.stateOf(state, t);
  if (current === null || !t.from.includes(current)) {
    const r = decl.wrongState?.(t, current);
    return r ? toError(r) : errors.illegalTransition(name, current ?? 'none');
  }
  if (t.signature?.notAuthor && decl.author?.(state) === user.id) return new AppError('SIGNER_IS_AUTHOR');
  if (t.permission && !hasPermission(user, t.permission)) return errors.forbidden(name.replace(/_/g, ' '));
  if (t.who && !t.who(user, state)) return t.whoRefusal ? toError(t.whoRefusal) : errors.forbidden(name.replace(/_/g, ' '));
  for (const p of t.preconditions ?? []) if (!p.holds(state, user)) return toError(p.refusal);
  return null;
}

export function assertTransition<S>(decl: Lifecycle<S>, name: string, state: S, user: SessionUser): Transition<S> {
  const refusal = refusalOf(decl, name, state, user);
  if (refusal) throw refusal;
  return decl.transitions.find((x) => x.name === name)!;
}

/** What this user may do now (preconditions included, so the client never offers a dead button). */
export function availableActions<S>(decl: Lifecycle<S>, state: S, user: SessionUser): AvailableAction[] {
  return decl.transitions.filter((t) => refusalOf(decl, t.name, state, user) === null).map((t) => ({
    action: t.name, signature: t.signature?.meaning ?? null, needsReason: !!t.needsReason, needsDate: !!t.needsDate,
  }));
}

/** The transition a signature meaning performs (for a record type's `canSign`). */
export function transitionForMeaning<S>(decl: Lifecycle<S>, meaning: string): Transition<S> | undefined {
  return decl.transitions.find((t) => t.signature?.meaning === meaning);
}

/** The declaration as data for the client (predicates become their refusal codes). */
export function describeLifecycle<S>(decl: Lifecycle<S>) {
  return {
    record: decl.record, initial: decl.initial, states: decl.states, final: decl.final,
    transitions: decl.transitions.map((t) => ({
      name: t.name, from: t.from, to: t.to ?? null, scope: t.scope ?? null, permission: t.permission ?? null,
      who: t.whoRefusal?.code ?? (t.who ? 'predicate' : null),
      signature: t.signature ? { meaning: t.signature.meaning, count: t.signature.count ?? 1, distinct: t.signature.distinct ?? true, notAuthor: !!t.signature.notAuthor } : null,
      needsReason: !!t.needsReason, needsDate: !!t.needsDate,
      preconditions: (t.preconditions ?? []).map((p) => ({ code: p.refusal.code, en: p.refusal.en, zh: p.refusal.zh })),
    })),
  };
}

