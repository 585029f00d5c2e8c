import { randomUUID } from 'node:crypto';
import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { todayUtc } from '../../platform/dates.ts';
import { streamOf } from '../../records/registry.ts';
import { asUser, runCommand } from '../../records/command.ts';
import type { OnBehalfOf } from '../../records/lifecycle.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { usersCollection } from '../../identity/userService.ts';
import { DELEGATIONS, delegationRecord, type DelegationDoc } from './delegation.record.ts';
import { coversToday } from './delegation.lifecycle.ts';
import { inCommand, openRecords } from '../../records/openRecords.ts';
import { DelegationErrors } from './errors.ts';
import { delegationEvents } from './events.ts';
import type { CreateDelegationInput } from './schema.ts';

const delegations = (s: Services) => s.db.collection<DelegationDoc>(DELEGATIONS);
/** Delegations of `field` = userId that are not revoked and overlap [from, to]. */
const overlapping = (s: Services, field: 'principal.id' | 'delegate.id', userId: string, from: string, to: string) =>
  delegations(s).findOne({ [field]: userId, revoked: null, from: { $lte: to }, to: { $gte: from } });

/**
 * Creates a delegation, every rule judged before the one append (nothing written on a refusal):
 * - not to oneself;
 * - the principal holds each delegated role, and so does the delegate (the role a task needs);
 * - the delegate's account is active;
 * - no overlap with another delegation of the same principal (one stand-in at a time);
 * - no chains: a delegate who has delegated their own tasks in the period (is away) is refused,
 *   and a delegation only ever carries the principal's OWN tasks, never tasks held by delegation,
 *   so B cannot pass A's tasks on to C.
 */
export async function createDelegation(s: Services, user: SessionUser, input: CreateDelegationInput) {
  if (input.delegateId === user.id) throw DelegationErrors.SELF_DELEGATION();
  const delegate = await usersCollection(s).findOne({ _id: input.delegateId });
  if (!delegate) throw errors.notFound('user');
  if (delegate.status !== 'active') throw DelegationErrors.DELEGATE_NOT_ACTIVE();
  const roles = [...new Set(input.roles)];
  const missing = roles.filter((r) => !user.roles.includes(r) || !delegate.roles.includes(r));
  if (missing.length) throw DelegationErrors.DELEGATE_LACKS_ROLE({ roles: missing.join(', ') });
  if (await overlapping(s, 'principal.id', user.id, input.from, input.to)) throw DelegationErrors.DELEGATION_OVERLAPS();
  if (await overlapping(s, 'principal.id', delegate._id, input.from, input.to))
    throw DelegationErrors.DELEGATION_CHAIN();
  const id = randomUUID();
  await asUser(user, async () => {
    const c = delegationEvents.change('delegation.created', {
      principal: { id: user.id, name: user.fullName },
      delegate: { id: delegate._id, name: delegate.fullName },
      from: input.from,
      to: input.to,
      roles,
      reason: input.reason,
    });
    await s.ledger.append(streamOf('delegation', id), c.type, c.data, { expectedVersion: 0 });
  });
  return getDelegation(s, user, id);
}

export async function getDelegation(s: Services, user: SessionUser, id: string): Promise<DelegationDoc> {
  const d = await delegations(s).findOne({ _id: id });
  if (!d || !delegationRecord.canRead!(user, d)) throw errors.notFound('delegation');
  return d;
}

export async function revokeDelegation(s: Services, user: SessionUser, id: string, input: { version?: number }) {
  await getDelegation(s, user, id);
  await runCommand(s, user, streamOf('delegation', id), 'revoke', input);
  return getDelegation(s, user, id);
}

/** The delegations a user gave or holds (most recent first). */
export async function delegationsOf(s: Services, userId: string) {
  return delegations(s)
    .find({ $or: [{ 'principal.id': userId }, { 'delegate.id': userId }] })
    .sort({ from: -1 })
    .limit(200)
    .toArray();
}

/**
 * The delegations `delegateId` holds that cover today (whose tasks they may act on now). Inside a
 * command (signing on someone's behalf) from the database; for the inbox, asked on every view, from
 * this server's in-process copy of the delegations not revoked (records/openRecords.ts).
 */
export async function activeDelegationsHeldBy(s: Services, delegateId: string, today = todayUtc()) {
  const list = inCommand()
    ? await delegations(s)
        .find({ 'delegate.id': delegateId, revoked: null, from: { $lte: today }, to: { $gte: today } })
        .toArray()
    : (await openRecords<DelegationDoc>(s, delegationRecord, 'unrevoked', (d) => d.revoked === null)).filter(
        (d) => d.delegate.id === delegateId && d.from <= today && d.to >= today,
      );
  return list.filter((d) => coversToday(d, today));
}

/** The active delegation from `principalId` to `delegateId` covering now, or a 403 NO_DELEGATION. */
export async function delegationCovering(s: Services, delegateId: string, principalId: string) {
  const d = (await activeDelegationsHeldBy(s, delegateId)).find((x) => x.principal.id === principalId);
  if (!d) throw DelegationErrors.NO_DELEGATION();
  return d;
}

/**
 * The principal of a delegation as the command path judges them: their account as it is now,
 * holding only the delegated roles (B acts for A only in the roles A handed over), or
 * NO_DELEGATION when the account is gone or not active.
 */
async function principalOf(s: Services, d: DelegationDoc): Promise<OnBehalfOf> {
  const u = await usersCollection(s).findOne({ _id: d.principal.id });
  if (!u || u.status !== 'active') throw DelegationErrors.NO_DELEGATION();
  const user: SessionUser = {
    id: u._id,
    username: u.username,
    fullName: u.fullName,
    email: u.email,
    roles: u.roles.filter((r) => d.roles.includes(r)),
    via: 'session',
    totpEnrolled: false,
    mustChangePassword: false,
  };
  return { user, delegationId: d._id };
}

/** What the command path asks (records/command.ts setDelegationResolver): may `delegate` sign for `principalId` now? */
export const resolveDelegation = async (s: Services, delegate: SessionUser, principalId: string) =>
  principalOf(s, await delegationCovering(s, delegate.id, principalId));

/** The people `delegate` stands in for now (the inbox lists their tasks, marked "on behalf of"). */
export async function principalsOf(s: Services, delegate: SessionUser): Promise<OnBehalfOf[]> {
  const out: OnBehalfOf[] = [];
  for (const d of await activeDelegationsHeldBy(s, delegate.id)) {
    try {
      out.push(await principalOf(s, d));
    } catch {
      // an inactive principal's tasks are not handed on
    }
  }
  return out;
}
