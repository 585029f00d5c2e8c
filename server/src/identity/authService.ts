import { randomUUID } from 'node:crypto';
import type { Services } from '../platform/services.ts';
import { AppError } from '../platform/errors.ts';
import { SYSTEM_ACTOR, type Actor } from '../platform/context.ts';
import { streamOf } from '../records/registry.ts';
import {
  assertNotReused,
  assertPasswordStrength,
  decoyHash,
  hashPassword,
  PASSWORD_HISTORY,
  verifyPassword,
} from './passwords.ts';
import { totpStep } from './totp.ts';
import { claimTotpStep } from './totpSteps.ts';
import { IdentityErrors } from './errors.ts';
import { findUserByUsername, getUser, type UserDoc } from './userService.ts';
import { raiseAlert } from './alerts.ts';
import { userEvents } from './events.ts';
import { now as clockNow } from '../platform/clock.ts';

/**
 * The ledger actor for a user. Requests carry it in their context (authenticate.ts), so commands
 * do not pass it; it is given by hand only where no signed-in user acts yet: a sign-in and its
 * failures (checkCredentials also serves signings, where the actor is the same person).
 */
export const actorOf = (u: { id: string; fullName: string; roles: string[] }): Actor => ({
  id: u.id,
  name: u.fullName,
  role: u.roles[0] ?? 'none',
});

export function mustChangePassword(s: Services, u: UserDoc): boolean {
  const ageMs = clockNow().getTime() - Date.parse(u.passwordChangedAt);
  return u.passwordTemporary || ageMs > s.config.PASSWORD_MAX_AGE_DAYS * 86_400_000;
}

export function passwordExpiresAt(s: Services, u: UserDoc): string {
  return new Date(Date.parse(u.passwordChangedAt) + s.config.PASSWORD_MAX_AGE_DAYS * 86_400_000).toISOString();
}

type Purpose = { kind: 'login' } | { kind: 'signature'; stream: string; meaning: string };
type Failure = 'INVALID_CREDENTIALS' | 'TOTP_INVALID' | 'TOTP_REUSED';

/**
 * Checks password (and TOTP when enrolled) for a login, a signing or a change to one's own
 * credentials. The password comes first whatever the account's state, and a wrong one always
 * answers INVALID_CREDENTIALS: a locked or disabled account answers like any other until the
 * password is right, so neither status nor timing tells which accounts exist (11.300(d)).
 * A failure is recorded on the user's stream and counts toward lockout; reaching the threshold
 * locks the account and alerts administrators. Nothing else is written on failure.
 */
export async function checkCredentials(
  s: Services,
  u: UserDoc,
  password: string,
  totp: string | undefined,
  purpose: Purpose,
): Promise<void> {
  const stored = await s.credentials.current(u._id, 'password', u.passwordFingerprint);
  const matches = await verifyPassword(password, stored ?? (await decoyHash()));
  if (!stored || !matches) return failed(s, u, 'INVALID_CREDENTIALS', purpose);
  if (u.status === 'locked') throw new AppError('ACCOUNT_LOCKED');
  if (u.status === 'disabled') throw new AppError('ACCOUNT_DISABLED');
  if (!u.totpFingerprint) return;
  // Asking for the second factor after a right password is not a failed attempt.
  if (!totp) throw new AppError('TOTP_REQUIRED');
  const sealed = await s.credentials.current(u._id, 'totp', u.totpFingerprint);
  const step = sealed ? totpStep(s.credentials.openTotp(sealed), totp) : null;
  if (step === null) return failed(s, u, 'TOTP_INVALID', purpose);
  if (!(await claimTotpStep(s.db, u.totpFingerprint, step))) return failed(s, u, 'TOTP_REUSED', purpose);
}

async function failed(s: Services, u: UserDoc, failure: Failure, purpose: Purpose): Promise<never> {
  const stream = streamOf('user', u._id);
  const failedEvent =
    purpose.kind === 'login'
      ? userEvents.change('auth.loginFailed', { reason: failure })
      : userEvents.change('auth.signatureFailed', {
          reason: failure,
          stream: purpose.stream,
          meaning: purpose.meaning,
        });
  const event = await s.ledger.appendWithRetry(stream, failedEvent.type, failedEvent.data, { actor: actorOf(u) });
  const after = await getUser(s, u._id);
  if (after.status === 'active' && after.failedAttempts >= s.config.LOCKOUT_THRESHOLD) {
    const locked = userEvents.change('user.locked', {
      failedAttempts: after.failedAttempts,
      lastFailure: event.version,
    });
    await s.ledger.appendWithRetry(stream, locked.type, locked.data, { actor: SYSTEM_ACTOR });
    await s.sessions.endAllFor(u._id, 'locked');
    await raiseAlert(s, {
      kind: 'account_locked',
      audience: ['administrator', 'qa_manager'],
      subject: { userId: u._id, username: u.username, fullName: u.fullName },
      failedAttempts: after.failedAttempts,
    });
    // a stranger guessing at the sign-in form is not told that the name exists and is now locked
    if (purpose.kind !== 'login' || failure !== 'INVALID_CREDENTIALS') throw new AppError('ACCOUNT_LOCKED');
  }
  throw failure === 'TOTP_REUSED' ? IdentityErrors.TOTP_REUSED() : new AppError(failure);
}

export async function login(s: Services, username: string, password: string, totp?: string) {
  const u = await findUserByUsername(s, username);
  if (!u) {
    // the same scrypt work as a wrong password, so timing does not reveal unknown names
    await verifyPassword(password, await decoyHash());
    // unknown names are on the ledger too (misuse detection, 11.300(d)), without a user stream
    const unknown = userEvents.change('auth.loginFailed', { username: username.slice(0, 100), reason: 'UNKNOWN_USER' });
    await s.ledger.appendWithRetry('security:unknown-logins', unknown.type, unknown.data, { actor: SYSTEM_ACTOR });
    throw new AppError('INVALID_CREDENTIALS');
  }
  await checkCredentials(s, u, password, totp, { kind: 'login' });
  const session = await s.sessions.open(u._id);
  const loggedIn = userEvents.change('auth.loggedIn', {
    session: session.id.slice(0, 16),
    method: u.totpFingerprint ? 'password+totp' : 'password',
  });
  await s.ledger.appendWithRetry(streamOf('user', u._id), loggedIn.type, loggedIn.data, { actor: actorOf(u) });
  return { user: await getUser(s, u._id), session };
}

/** Runs as the signed-in user: the ledger takes the actor from the request context. */
export async function logout(s: Services, userId: string, sessionId: string) {
  await s.sessions.end(sessionId, 'logout');
  const loggedOut = userEvents.change('auth.loggedOut', { session: sessionId.slice(0, 16) });
  await s.ledger.appendWithRetry(streamOf('user', userId), loggedOut.type, loggedOut.data);
}

/**
 * Ends the account's other ways in after a password change or reset: every session but `keep`
 * (the one that made the change) and every API token, which may have been made by whoever knew
 * the old password. Ended first, then recorded with the change: a failure in between leaves
 * the account more closed, never more open.
 */
async function endOtherAccess(s: Services, userId: string, reason: string, keep?: string) {
  const sessionsEnded = await s.sessions.endAllFor(userId, reason, keep);
  const tokensRevoked = await s.sessions.revokeAllTokens(userId);
  return { sessionsEnded, tokensRevoked };
}

/** The signed-in user changes their own password (the actor comes from the request context). */
export async function changePassword(
  s: Services,
  who: { id: string; sessionId?: string },
  current: string,
  next: string,
) {
  const u = await getUser(s, who.id);
  await checkCredentials(s, u, current, undefined, {
    kind: 'signature',
    stream: streamOf('user', who.id),
    meaning: 'password_change',
  }).catch((err) => {
    if ((err as AppError).code === 'TOTP_REQUIRED') return; // password change needs the password only
    throw err;
  });
  assertPasswordStrength(next);
  await assertNotReused(next, await s.credentials.history(who.id, 'password', PASSWORD_HISTORY));
  const fp = await s.credentials.add(who.id, 'password', await hashPassword(next));
  const ended = await endOtherAccess(s, who.id, 'password-changed', who.sessionId);
  const changed = userEvents.change('user.passwordChanged', { passwordFingerprint: fp, temporary: false, ...ended });
  await s.ledger.append(streamOf('user', who.id), changed.type, changed.data);
  return getUser(s, who.id);
}

/** An administrator sets a temporary password; the user must change it at next login. */
export async function resetPassword(s: Services, adminId: string, userId: string, temporary: string) {
  if (adminId === userId) throw IdentityErrors.SELF_CHANGE_REFUSED(); // one's own password is changed with the current one
  assertPasswordStrength(temporary);
  await getUser(s, userId);
  const fp = await s.credentials.add(userId, 'password', await hashPassword(temporary));
  const ended = await endOtherAccess(s, userId, 'password-reset');
  const changed = userEvents.change('user.passwordChanged', { passwordFingerprint: fp, temporary: true, ...ended });
  await s.ledger.append(streamOf('user', userId), changed.type, changed.data);
  return getUser(s, userId);
}

export async function createApiToken(s: Services, userId: string, name: string) {
  const tokenId = randomUUID();
  const token = await s.sessions.createToken(userId, tokenId, name);
  const created = userEvents.change('auth.tokenCreated', { tokenId, name });
  await s.ledger.appendWithRetry(streamOf('user', userId), created.type, created.data);
  return { id: tokenId, name, token };
}

export async function revokeApiToken(s: Services, userId: string, tokenId: string) {
  if (!(await s.sessions.revokeToken(userId, tokenId))) throw new AppError('NOT_FOUND', { what: 'token' });
  const revoked = userEvents.change('auth.tokenRevoked', { tokenId });
  await s.ledger.appendWithRetry(streamOf('user', userId), revoked.type, revoked.data);
}
