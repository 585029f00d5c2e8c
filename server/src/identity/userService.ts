import { randomUUID } from 'node:crypto';
import type { Services } from '../platform/services.ts';
import { errors } from '../platform/errors.ts';
import { IdentityErrors } from './errors.ts';
import { assertPasswordStrength, hashPassword } from './passwords.ts';
import { userRecord, type UserState } from './user.record.ts';
import { userEvents } from './events.ts';
import { streamOf } from '../records/registry.ts';
import type { Projected } from '../records/projector.ts';

export type UserDoc = Projected<UserState>;

export function usersCollection(s: Services) {
  return s.db.collection<UserDoc>(userRecord.collection);
}

export async function findUserByUsername(s: Services, username: string): Promise<UserDoc | null> {
  return usersCollection(s).findOne({ username: username.toLowerCase() });
}

export async function getUser(s: Services, id: string): Promise<UserDoc> {
  const u = await usersCollection(s).findOne({ _id: id });
  if (!u) throw errors.notFound('user');
  return u;
}

export interface NewUser {
  username: string;
  fullName: string;
  email: string;
  roles: string[];
  password: string;
  temporary?: boolean;
}

/**
 * Creates an account. Login names are unique for ever (11.300: no reuse): the name is claimed by
 * version 1 of the stream `username:<name>`, and the ledger's unique (stream, version) index
 * makes two simultaneous claims impossible.
 */
export async function createUser(s: Services, input: NewUser): Promise<UserDoc> {
  assertPasswordStrength(input.password);
  const username = input.username.toLowerCase();
  const id = randomUUID();
  try {
    await s.ledger.append(`username:${username}`, 'username.claimed', { userId: id }, { expectedVersion: 0 });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'CONFLICT' || code === 'STALE_VERSION') throw errors.duplicate(`user "${username}"`);
    throw err;
  }
  const hash = await hashPassword(input.password);
  const passwordFingerprint = await s.credentials.add(id, 'password', hash);
  const created = userEvents.change('user.created', {
    username,
    fullName: input.fullName,
    email: input.email,
    roles: input.roles,
    passwordFingerprint,
    temporary: input.temporary ?? true,
  });
  await s.ledger.append(streamOf('user', id), created.type, created.data);
  return getUser(s, id);
}

/**
 * An administrator changes another account. Changing one's own roles or status is refused
 * (a second administrator must do it: nobody grants themselves QA manager), and the last
 * active administrator can be neither disabled nor stripped of the role, so the system is never
 * left without anyone who can manage accounts. Name and e-mail are one's own to correct.
 */
export function updateUser(
  s: Services,
  adminId: string,
  id: string,
  patch: Partial<Pick<UserState, 'fullName' | 'email' | 'roles' | 'status'>>,
) {
  // one account change at a time in this process, so that two administrators disabling each
  // other at the same moment cannot both pass the last-administrator check
  const run = accountChanges.then(() => applyUpdate(s, adminId, id, patch));
  accountChanges = run.catch(() => undefined);
  return run;
}
let accountChanges: Promise<unknown> = Promise.resolve();

async function applyUpdate(
  s: Services,
  adminId: string,
  id: string,
  patch: Partial<Pick<UserState, 'fullName' | 'email' | 'roles' | 'status'>>,
) {
  const u = await getUser(s, id);
  if (patch.status === 'locked')
    throw errors.badRequest('Status "locked" is set by the lockout rule only.', '"锁定"状态只能由锁定规则设置。');
  const rolesChange = patch.roles !== undefined && !sameSet(patch.roles, u.roles);
  const statusChange = patch.status !== undefined && patch.status !== u.status;
  if (adminId === id && (rolesChange || statusChange)) throw IdentityErrors.SELF_CHANGE_REFUSED();
  const losesAdmin =
    (patch.status === 'disabled' || (patch.roles !== undefined && !patch.roles.includes(ADMIN))) && isActiveAdmin(u);
  if (losesAdmin && (await activeAdministrators(s)).every((a) => a._id === id))
    throw IdentityErrors.LAST_ADMINISTRATOR();
  const updated = userEvents.change('user.updated', patch);
  await s.ledger.append(streamOf('user', id), updated.type, updated.data, { expectedVersion: u.ledgerVersion });
  if (patch.status === 'disabled') await s.sessions.endAllFor(id, 'disabled');
  return getUser(s, id);
}

const ADMIN = 'administrator';
const isActiveAdmin = (u: UserDoc) => u.status === 'active' && u.roles.includes(ADMIN);
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

function activeAdministrators(s: Services) {
  return usersCollection(s)
    .find({ roles: ADMIN, status: 'active' }, { projection: { _id: 1 } })
    .toArray();
}

export async function unlockUser(s: Services, id: string) {
  const u = await getUser(s, id);
  if (u.status !== 'locked') throw errors.badRequest('The account is not locked.', '该账户未被锁定。');
  const unlocked = userEvents.change('user.unlocked', {});
  await s.ledger.append(streamOf('user', id), unlocked.type, unlocked.data, { expectedVersion: u.ledgerVersion });
  return getUser(s, id);
}
