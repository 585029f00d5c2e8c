import { z } from 'zod';
import { defineEvents } from '../records/events.ts';

// What can happen to a user account (stream `user:<id>`) and to an alert (`alert:<id>`), one
// schema per event. The shapes are the ledger's: a change here must still read every account
// and alert ever written. Sign-ins and their failures are on the account's stream (11.300(d)).
export const USER_STATUSES = ['active', 'locked', 'disabled'] as const;
export const CREDENTIAL_FAILURES = ['INVALID_CREDENTIALS', 'TOTP_INVALID', 'TOTP_REUSED'] as const;

/** What ending an account's other ways in ended (authService.ts endOtherAccess). */
const Ended = { sessionsEnded: z.number(), tokensRevoked: z.array(z.string()) };

export const userEvents = defineEvents('identity', {
  'user.created': z.object({
    username: z.string(),
    fullName: z.string(),
    email: z.string(),
    roles: z.array(z.string()),
    passwordFingerprint: z.string(),
    temporary: z.boolean(),
  }),
  /** An administrator's patch (only the fields it names); "locked" is never set this way. */
  'user.updated': z
    .object({ fullName: z.string(), email: z.string(), roles: z.array(z.string()), status: z.enum(USER_STATUSES) })
    .partial(),
  'user.passwordChanged': z.object({ passwordFingerprint: z.string(), temporary: z.boolean(), ...Ended }),
  /** By the lockout rule (actor: the system), after the failure at version `lastFailure`. */
  'user.locked': z.object({ failedAttempts: z.number(), lastFailure: z.number() }),
  'user.unlocked': z.object({}),
  'user.totpEnrolled': z.object({ totpFingerprint: z.string(), replaced: z.boolean() }),
  'user.totpReset': z.object({ sessionsEnded: z.number() }),
  'auth.loggedIn': z.object({ session: z.string(), method: z.enum(['password', 'password+totp']) }),
  // on the account's stream; a name that matches no account is recorded on `security:unknown-logins`
  'auth.loginFailed': z.union([
    z.object({ reason: z.enum(CREDENTIAL_FAILURES) }),
    z.object({ username: z.string(), reason: z.literal('UNKNOWN_USER') }),
  ]),
  'auth.signatureFailed': z.object({ reason: z.enum(CREDENTIAL_FAILURES), stream: z.string(), meaning: z.string() }),
  'auth.loggedOut': z.object({ session: z.string() }),
  'auth.sessionExpired': z.object({ reason: z.literal('idle-timeout'), idleMinutes: z.number() }),
  'auth.tokenCreated': z.object({ tokenId: z.string(), name: z.string() }),
  'auth.tokenRevoked': z.object({ tokenId: z.string() }),
});

/** An alert's data is its payload: `kind` and `audience` (roles), and what the kind tells. */
const AccountLocked = z.object({
  kind: z.literal('account_locked'),
  audience: z.array(z.string()),
  subject: z.object({ userId: z.string(), username: z.string(), fullName: z.string() }),
  failedAttempts: z.number(),
});

export const alertEvents = defineEvents('identity', {
  'alert.raised': z.discriminatedUnion('kind', [AccountLocked]),
  // no command appends it yet: the reducer reads only who acknowledged and when
  'alert.acknowledged': z.object({}),
});
export type AlertData = z.input<(typeof alertEvents.schemas)['alert.raised']>;
