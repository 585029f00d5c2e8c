import { randomUUID } from 'node:crypto';
import type { Services } from '../platform/services.ts';
import { AppError } from '../platform/errors.ts';
import { SYSTEM_ACTOR, type Actor } from '../platform/context.ts';
import { streamOf } from '../records/registry.ts';
import { assertNotReused, assertPasswordStrength, hashPassword, PASSWORD_HISTORY, verifyPassword } from './passwords.ts';
import { verifyTotp } from './totp.ts';
import { findUserByUsername, getUser, type UserDoc } from './userService.ts';
import { raiseAlert } from './alerts.ts';

export const actorOf = (u: { id: string; fullName: string; roles: string[] }): Actor => ({ id: u.id, name: u.fullName, role: u.roles[0] ?? 'none' });

export function mustChangePassword(s: Services, u: UserDoc): boolean {
  const ageMs = Date.now() - Date.parse(u.passwordChangedAt);
  return u.passwordTemporary || ageMs > s.config.PASSWORD_MAX_AGE_DAYS * 86_400_000;
}

export function passwordExpiresAt(s: Services, u: UserDoc): string {
  return new Date(Date.parse(u.passwordChangedAt) + s.config.PASSWORD_MAX_AGE_DAYS * 86_400_000).toISOString();
}

type Purpose = { kind: 'login' } | { kind: 'signature'; stream: string; meaning: string };

/**
 * Checks password (and TOTP when enrolled) for a login or a signing. A failure is recorded on
 * the user's stream and counts toward lockout; reaching the threshold locks the account and
 * alerts administrators. Nothing else is written on failure.
 */
export async function checkCredentials(s: Services, u: UserDoc, password: string, totp: string | undefined, purpose: Purpose): Promise<void> {
  if (u.status === 'locked') throw new AppError('ACCOUNT_LOCKED');
  if (u.status === 'disabled') throw new AppError('ACCOUNT_DISABLED');
  const stored = await s.credentials.current(u._id, 'password', u.passwordFingerprint);
  const passwordOk = stored !== null && (await verifyPassword(password, stored));
  let failure: 'INVALID_CREDENTIALS' | 'TOTP_REQUIRED' | 'TOTP_INVALID' | null = passwordOk ? null : 'INVALID_CREDENTIALS';
  if (!failure && u.totpFingerprint) {
    if (!totp) failure = 'TOTP_REQUIRED';
    else {
      const sealed = await s.credentials.current(u._id, 'totp', u.totpFingerprint);
      if (!sealed || !verifyTotp(s.credentials.openTotp(sealed), totp)) failure = 'TOTP_INVALID';
    }
  }
  if (!failure) return;
  // Asking for the second factor after a right password is not a failed attempt.
  if (failure === 'TOTP_REQUIRED') throw new AppError(failure);
  const stream = streamOf('user', u._id);
  const type = purpose.kind === 'login' ? 'auth.loginFailed' : 'auth.signatureFailed';
  const data = purpose.kind === 'login' ? { reason: failure } : { reason: failure, stream: purpose.stream, meaning: purpose.meaning };
  const failed = await s.ledger.appendWithRetry(stream, type, data, { actor: actorOf(u) });
  const after = await getUser(s, u._id);
  if (after.status === 'active' && after.failedAttempts >= s.config.LOCKOUT_THRESHOLD) {
    await s.ledger.appendWithRetry(stream, 'user.locked', { failedAttempts: after.failedAttempts, lastFailure: failed.version }, { actor: SYSTEM_ACTOR });
    await s.sessions.endAllFor(u._id, 'locked');
    await raiseAlert(s, { kind: 'account_locked', audience: ['administrator', 'qa_manager'], subject: { userId: u._id, username: u.username, fullName: u.fullName }, failedAttempts: after.failedAttempts });
    throw new AppError('ACCOUNT_LOCKED');
  }
  throw new AppError(failure);
}

export async function login(s: Services, username: string, password: string, totp?: string) {
  const u = await findUserByUsername(s, username);
  if (!u) {
    // unknown names are on the ledger too (misuse detection, 11.300(d)), without a user stream
    await s.ledger.appendWithRetry('security:unknown-logins', 'auth.loginFailed', { username: username.slice(0, 100), reason: 'UNKNOWN_USER' }, { actor: SYSTEM_ACTOR });
    throw new AppError('INVALID_CREDENTIALS');
  }
  await checkCredentials(s, u, password, totp, { kind: 'login' });
  const session = await s.sessions.open(u._id);
  await s.ledger.appendWithRetry(streamOf('user', u._id), 'auth.loggedIn', { session: session.id.slice(0, 16), method: u.totpFingerprint ? 'password+totp' : 'password' }, { actor: actorOf(u) });
  return { user: await getUser(s, u._id), session };
}

export async function logout(s: Services, userId: string, sessionId: string, actor: Actor) {
  await s.sessions.end(sessionId, 'logout');
  await s.ledger.appendWithRetry(streamOf('user', userId), 'auth.loggedOut', { session: sessionId.slice(0, 16) }, { actor });
}

export async function changePassword(s: Services, userId: string, current: string, next: string) {
  const u = await getUser(s, userId);
  await checkCredentials(s, u, current, undefined, { kind: 'signature', stream: streamOf('user', userId), meaning: 'password_change' }).catch((err) => {
    if ((err as AppError).code === 'TOTP_REQUIRED' || (err as AppError).code === 'TOTP_INVALID') return; // password change needs the password only
    throw err;
  });
  assertPasswordStrength(next);
  await assertNotReused(next, await s.credentials.history(userId, 'password', PASSWORD_HISTORY));
  const fp = await s.credentials.add(userId, 'password', await hashPassword(next));
  await s.ledger.append(streamOf('user', userId), 'user.passwordChanged', { passwordFingerprint: fp, temporary: false }, { actor: actorOf(u) });
  return getUser(s, userId);
}

/** An administrator sets a temporary password; the user must change it at next login. */
export async function resetPassword(s: Services, userId: string, temporary: string) {
  assertPasswordStrength(temporary);
  await getUser(s, userId);
  const fp = await s.credentials.add(userId, 'password', await hashPassword(temporary));
  await s.ledger.append(streamOf('user', userId), 'user.passwordChanged', { passwordFingerprint: fp, temporary: true });
  await s.sessions.endAllFor(userId, 'password-reset');
  return getUser(s, userId);
}

export async function createApiToken(s: Services, userId: string, name: string) {
  const tokenId = randomUUID();
  const token = await s.sessions.createToken(userId, tokenId, name);
  await s.ledger.appendWithRetry(streamOf('user', userId), 'auth.tokenCreated', { tokenId, name });
  return { id: tokenId, name, token };
}

export async function revokeApiToken(s: Services, userId: string, tokenId: string) {
  if (!(await s.sessions.revokeToken(userId, tokenId))) throw new AppError('NOT_FOUND', { what: 'token' });
  await s.ledger.appendWithRetry(streamOf('user', userId), 'auth.tokenRevoked', { tokenId });
}
