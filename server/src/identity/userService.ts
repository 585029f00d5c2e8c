import { randomUUID } from 'node:crypto';
import type { Services } from '../platform/services.ts';
import { errors } from '../platform/errors.ts';
import { assertPasswordStrength, hashPassword } from './passwords.ts';
import { userRecord, type UserState } from './user.record.ts';
import { streamOf } from '../records/registry.ts';
import type { Projected } from '../records/projector.ts';

export type UserDoc = Projected<UserState>;

export function usersCollection(s: Services) { return s.db.collection<UserDoc>(userRecord.collection); }

export async function findUserByUsername(s: Services, username: string): Promise<UserDoc | null> {
  return usersCollection(s).findOne({ username: username.toLowerCase() });
}

export async function getUser(s: Services, id: string): Promise<UserDoc> {
  const u = await usersCollection(s).findOne({ _id: id });
  if (!u) throw errors.notFound('user');
  return u;
}

export interface NewUser { username: string; fullName: string; email: string; roles: string[]; password: string; temporary?: boolean }

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
  await s.ledger.append(streamOf('user', id), 'user.created', {
    username, fullName: input.fullName, email: input.email, roles: input.roles, passwordFingerprint, temporary: input.temporary ?? true,
  });
  return getUser(s, id);
}

export async function updateUser(s: Services, id: string, patch: Partial<Pick<UserState, 'fullName' | 'email' | 'roles' | 'status'>>) {
  await getUser(s, id);
  if (patch.status === 'locked') throw errors.badRequest('status "locked" is set by the lockout rule only');
  await s.ledger.append(streamOf('user', id), 'user.updated', patch);
  if (patch.status === 'disabled') await s.sessions.endAllFor(id, 'disabled');
  return getUser(s, id);
}

export async function unlockUser(s: Services, id: string) {
  const u = await getUser(s, id);
  if (u.status !== 'locked') throw errors.badRequest('the account is not locked');
  await s.ledger.append(streamOf('user', id), 'user.unlocked', {}, { expectedVersion: u.ledgerVersion });
  return getUser(s, id);
}
