import type { Services } from '../platform/services.ts';
import { mustChangePassword, passwordExpiresAt } from './authService.ts';
import type { UserDoc } from './userService.ts';

/** The only shape of a user that leaves the server (no fingerprints, no counters). */
export function presentUser(s: Services, u: UserDoc) {
  return {
    id: u._id,
    username: u.username,
    fullName: u.fullName,
    email: u.email,
    roles: u.roles,
    status: u.status,
    totpEnrolled: !!u.totpFingerprint,
    mustChangePassword: mustChangePassword(s, u),
    passwordExpiresAt: passwordExpiresAt(s, u),
    lastLoginAt: u.lastLoginAt,
  };
}

/** What colleagues see of an account: enough to pick a reviewer, nothing about how it signs in. */
export function presentDirectoryEntry(u: UserDoc) {
  return { id: u._id, username: u.username, fullName: u.fullName, roles: u.roles, status: u.status };
}
