import { defineRecordType } from '../records/registry.ts';
import type { LedgerEvent } from '../ledger/event.ts';
import { hasPermission } from './roles.ts';
import { userEvents, type USER_STATUSES } from './events.ts';

// A user account is a record like any other: every change to it, and every authentication
// event, is on its stream `user:<id>`; this reducer is the only way its state comes about.
export interface UserState {
  id: string;
  username: string;
  fullName: string;
  email: string;
  roles: string[];
  status: (typeof USER_STATUSES)[number];
  failedAttempts: number;
  passwordFingerprint: string;
  passwordChangedAt: string;
  passwordTemporary: boolean;
  totpFingerprint: string | null;
  createdAt: string;
  lastLoginAt: string | null;
}

// What can happen to an account: events.ts.

export const userRecord = defineRecordType<UserState>({
  type: 'user',
  collection: 'users',
  events: userEvents,
  reduce(s, raw: LedgerEvent) {
    const e = userEvents.typed(raw);
    if (e.type === 'user.created') {
      const d = e.data;
      return {
        id: e.stream.slice(5),
        username: d.username,
        fullName: d.fullName,
        email: d.email,
        roles: d.roles,
        status: 'active',
        failedAttempts: 0,
        passwordFingerprint: d.passwordFingerprint,
        passwordChangedAt: e.at,
        passwordTemporary: !!d.temporary,
        totpFingerprint: null,
        createdAt: e.at,
        lastLoginAt: null,
      };
    }
    if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before user.created`);
    switch (e.type) {
      case 'user.updated': {
        const { fullName, email, roles, status } = e.data;
        return { ...s, ...defined({ fullName, email, roles, status }) };
      }
      case 'user.passwordChanged':
        return {
          ...s,
          passwordFingerprint: e.data.passwordFingerprint,
          passwordChangedAt: e.at,
          passwordTemporary: !!e.data.temporary,
        };
      case 'user.locked':
        return { ...s, status: 'locked' };
      case 'user.unlocked':
        return { ...s, status: 'active', failedAttempts: 0 };
      case 'user.totpEnrolled':
        return { ...s, totpFingerprint: e.data.totpFingerprint };
      case 'user.totpReset':
        return { ...s, totpFingerprint: null };
      case 'auth.loggedIn':
        return { ...s, failedAttempts: 0, lastLoginAt: e.at };
      case 'auth.loginFailed':
      case 'auth.signatureFailed':
        return { ...s, failedAttempts: s.failedAttempts + 1 };
      default:
        return s;
    }
  },
  content: (s) => ({ username: s.username, fullName: s.fullName, email: s.email, roles: s.roles, status: s.status }),
  // an account's audit trail (sign-ins, failures) is for its owner, administrators and auditors
  canRead: (u, s) => u.id === s.id || hasPermission(u, 'users.manage') || hasPermission(u, 'ledger.export'),
});

/** The fields a patch names (a key present with `undefined` changes nothing). */
function defined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}
