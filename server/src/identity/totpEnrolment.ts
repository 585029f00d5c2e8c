import type { Services } from '../platform/services.ts';
import { AppError } from '../platform/errors.ts';
import { streamOf } from '../records/registry.ts';
import { checkCredentials } from './authService.ts';
import { fingerprint } from './credentials.ts';
import { newTotpSecret, otpauthUrl, totpStep } from './totp.ts';
import { claimTotpStep } from './totpSteps.ts';
import { getUser } from './userService.ts';
import { IdentityErrors } from './errors.ts';
import { userEvents } from './events.ts';

const PENDING_MS = 10 * 60_000;

/**
 * TOTP enrolment in two steps: the secret is shown once, and only a correct code from the
 * user's app makes it required (so nobody locks themselves out with a mistyped secret).
 * Starting needs the password, and the current code when a factor is already enrolled: a
 * session alone (a borrowed browser, a stolen cookie) must not replace the second factor.
 * Otherwise an administrator resets the factor, on the ledger (resetTotp).
 */
export function totpEnrolment(s: Services) {
  const pending = new Map<string, { secret: string; until: number }>();
  return {
    async start(userId: string, password: string, code?: string) {
      const u = await getUser(s, userId);
      await checkCredentials(s, u, password, code, {
        kind: 'signature',
        stream: streamOf('user', userId),
        meaning: 'totp_enrolment',
      });
      const secret = newTotpSecret();
      pending.set(userId, { secret, until: Date.now() + PENDING_MS });
      return { secret, otpauthUrl: otpauthUrl(secret, u.username) };
    },
    async confirm(userId: string, code: string) {
      const p = pending.get(userId);
      if (!p || p.until < Date.now()) throw IdentityErrors.TOTP_ENROLMENT_NOT_STARTED();
      const step = totpStep(p.secret, code);
      if (step === null) throw new AppError('TOTP_INVALID');
      const u = await getUser(s, userId);
      pending.delete(userId);
      const sealed = s.credentials.sealTotp(p.secret);
      const totpFingerprint = fingerprint(sealed);
      // the confirming code is used: it cannot sign anyone in afterwards (RFC 6238 §5.2)
      await claimTotpStep(s.db, totpFingerprint, step);
      await s.credentials.add(userId, 'totp', sealed);
      const enrolled = userEvents.change('user.totpEnrolled', { totpFingerprint, replaced: !!u.totpFingerprint });
      await s.ledger.append(streamOf('user', userId), enrolled.type, enrolled.data);
      return getUser(s, userId);
    },
  };
}

/** An administrator removes another user's second factor (a lost phone); the user enrols again. */
export async function resetTotp(s: Services, adminId: string, userId: string, reason: string) {
  if (adminId === userId) throw IdentityErrors.SELF_CHANGE_REFUSED();
  const u = await getUser(s, userId);
  if (!u.totpFingerprint) throw IdentityErrors.TOTP_NOT_ENROLLED();
  // whoever holds the lost device may be signed in with it: those sessions end too
  const sessionsEnded = await s.sessions.endAllFor(userId, 'totp-reset');
  const reset = userEvents.change('user.totpReset', { sessionsEnded });
  await s.ledger.append(streamOf('user', userId), reset.type, reset.data, { reason, expectedVersion: u.ledgerVersion });
  return getUser(s, userId);
}
