import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { actorOf, checkCredentials } from '../../identity/authService.ts';
import { getUser } from '../../identity/userService.ts';
import { domainError, errors } from '../../platform/errors.ts';
import type { Actor } from '../../platform/context.ts';
import type { LedgerEvent } from '../../ledger/event.ts';
import { fold } from '../../records/projector.ts';
import { recordTypeOf } from '../../records/registry.ts';
import { signRecord, signingRefusal } from '../../../../signatures/esign/service.ts';

// Ledger idioms of the ERP modules: unique claims, sequences, optimistic read-check-append
// commands, and decisions that an e-signature completes.
export const isRace = (err: unknown) => ['CONFLICT', 'STALE_VERSION'].includes((err as { code?: string }).code ?? '');
const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 8 * Math.min(attempt + 1, 12)));

/** Claims `stream` (its version 1, by default a bare claim); a second claim is DUPLICATE `what`. */
export async function claim(s: Services, stream: string, data: Record<string, unknown>, what: string, actor?: Actor, type = 'claimed') {
  try {
    await s.ledger.append(stream, type, data, { expectedVersion: 0, actor });
  } catch (err) {
    if (isRace(err)) throw errors.duplicate(what);
    throw err;
  }
}

/** The next number of sequence `name`: the version of the event that allocated it. */
export async function nextSequence(s: Services, name: string, actor?: Actor): Promise<number> {
  return (await s.ledger.appendWithRetry(`sequence:${name}`, 'sequence.allocated', {}, { actor })).version;
}

/** A yearly number like PO-2026-00042 (sequence per prefix and year). */
export async function yearlyNumber(s: Services, prefix: string, actor?: Actor): Promise<string> {
  const y = new Date().getUTCFullYear();
  return `${prefix}-${y}-${String(await nextSequence(s, `${prefix.toLowerCase()}.${y}`, actor)).padStart(5, '0')}`;
}

export interface Change { type: string; data: Record<string, unknown>; reason?: string }

/**
 * Optimistic command on one stream: folds the stream from the ledger (authoritative, never a
 * lagging projection), lets `decide` check the rules and return the event, and appends it with
 * expectedVersion = the version read. On a lost race it re-reads and decides again, so a rule
 * ("quantity never negative") is always judged on the state the event lands on.
 */
export async function mutate<S>(s: Services, stream: string, actor: Actor | undefined,
  decide: (state: S | undefined, version: number) => Change | null | Promise<Change | null>): Promise<LedgerEvent | null> {
  const t = recordTypeOf(stream);
  if (!t) throw errors.notFound('record');
  for (let attempt = 0; ; attempt++) {
    const events = await s.ledger.read(stream);
    const state = fold(t, events) as S | undefined;
    const change = await decide(state, events.length);
    if (!change) return null;
    try {
      return await s.ledger.append(stream, change.type, change.data, { expectedVersion: events.length, actor, reason: change.reason });
    } catch (err) {
      if (!isRace(err)) throw err;
      if (attempt >= 60) throw domainError('RECORD_BUSY', 'The record is busy; try again.', '记录正忙,请重试。', 503);
      await pause(attempt);
    }
  }
}

export interface Cred { password: string; totp?: string }

/**
 * A decision completed by an e-signature. Every refusal comes before anything is written: the
 * precheck, the proposal's own checks and the signing policy (role, separation of duties) are
 * judged on the state the proposal would create, then the signer's credentials (a wrong password
 * writes only its failed attempt on the signer's account), then the proposal is appended — judged
 * again on the state it lands on — and signed at exactly the version it created; the record
 * type's afterSignature turns the signed proposal into its effect. Returns the state after it all.
 */
export async function signedDecision(s: Services, user: SessionUser, stream: string, meaning: string, cred: Cred,
  propose: (state: any, version: number) => Change | Promise<Change>, precheck?: (state: any) => void,
  /** Runs once the credentials have passed, before the proposal is appended: where numbers are allocated. */
  afterCredentials?: () => Promise<void>) {
  const t = recordTypeOf(stream)!;
  const actor = actorOf(user);
  const judge = async (state: object | undefined, version: number): Promise<Change> => {
    if (!state) throw errors.notFound('record');
    precheck?.(state);
    const change = await propose(state, version);
    const proposed = t.reduce(state, { stream, version: version + 1, type: change.type, at: new Date().toISOString(), actor, data: change.data,
      ...(change.reason ? { reason: change.reason } : {}), prevHash: '', hash: '' });
    const refusal = signingRefusal(t, user, meaning, proposed);
    if (refusal) throw refusal;
    return change;
  };
  const events = await s.ledger.read(stream);
  await judge(fold(t, events), events.length);
  const u = await getUser(s, user.id);
  await checkCredentials(s, u, cred.password, cred.totp, { kind: 'signature', stream, meaning });
  await afterCredentials?.();
  const proposed = await mutate<object>(s, stream, actor, judge);
  await signRecord(s, user, stream, { meaning, password: cred.password, totp: cred.totp, version: proposed!.version, reason: proposed!.reason },
    { credentialsChecked: true });
  return s.projector.stateAt<any>(stream);
}
