import type { Context, Next } from 'koa';
import type { Services } from '../platform/services.ts';
import { requestContext } from '../platform/context.ts';
import { streamId, streamOf } from '../records/registry.ts';
import { SYSTEM_ACTOR } from '../platform/context.ts';
import { actorOf, mustChangePassword } from './authService.ts';
import { usersCollection, type UserDoc } from './userService.ts';
import { userEvents } from './events.ts';
import type { SessionUser } from './sessionUser.ts';
import { userKey, type AuthCache } from './authCache.ts';

export const SESSION_COOKIE = 'provenant_session';

/**
 * Identifies the caller from the session cookie or a bearer API token and puts the acting user
 * in the request context (the ledger reads it from there). Rejection is each route's business
 * (see route.ts), so that login and health stay reachable.
 */
export function authenticate(s: Services) {
  watchAuthChanges(s);
  return async (ctx: Context, next: Next) => {
    const bearer = /^Bearer\s+(pvt_[\w-]+)$/.exec(ctx.get('authorization'))?.[1];
    const cookie = ctx.cookies.get(SESSION_COOKIE);
    let user: SessionUser | undefined;
    if (bearer) {
      const row = await s.sessions.findToken(bearer);
      const u = row && (await activeUser(s, row.userId));
      if (u) user = toSessionUser(s, u, 'token');
    } else if (cookie) {
      const found = await s.sessions.touch(cookie);
      const row = found?.row;
      if (found?.expired) {
        ctx.state.sessionExpired = true;
        ctx.cookies.set(SESSION_COOKIE, null);
        const expired = userEvents.change('auth.sessionExpired', {
          reason: 'idle-timeout',
          idleMinutes: s.config.SESSION_IDLE_MINUTES,
        });
        await s.ledger.appendWithRetry(streamOf('user', found.row.userId), expired.type, expired.data, {
          actor: SYSTEM_ACTOR,
        });
      } else if (row) {
        const u = await activeUser(s, row.userId);
        if (u) user = { ...toSessionUser(s, u, 'session'), sessionId: row._id, csrf: row.csrf };
      }
    }
    ctx.state.user = user;
    const store = requestContext.getStore();
    if (store && user) store.actor = actorOf(user);
    await next();
  };
}

async function activeUser(s: Services, id: string): Promise<UserDoc | null> {
  const u = await s.sessions.cache.user(usersCollection(s), id);
  return u && u.status === 'active' ? u : null;
}

const watching = new WeakSet<AuthCache>();
/**
 * User events that change nothing the session check reads (status, roles, names, password and
 * TOTP state): the record of a sign-in, a failure, a logout... They drop the cached user here as
 * every user event does, but are not announced to the other servers (a sign-in would otherwise
 * cost two more writes). Sessions and tokens they concern are announced by SessionStore's own
 * write (end, endAllFor, revokeToken). Any other event type, present or future, is announced.
 */
const NOT_ACCESS_CHANGES = new Set([
  'auth.loggedIn',
  'auth.loginFailed',
  'auth.signatureFailed',
  'auth.loggedOut',
  'auth.sessionExpired',
  'auth.tokenCreated',
  'auth.tokenRevoked',
]);
/**
 * Keeps the session check's cache (authCache.ts) in step with user changes: every append to a
 * user's stream on this server (role or status change, lock, password change, TOTP...) drops the
 * cached user, sessions and tokens before the append returns (listeners run after the projector
 * has written the user document), and announces it to the other servers, whose cache reads the
 * announcements on a timer started here. Once per server.
 */
function watchAuthChanges(s: Services) {
  const cache = s.sessions.cache;
  if (watching.has(cache)) return;
  watching.add(cache);
  s.ledger.onAppended(async (e) => {
    if (!e.stream.startsWith('user:')) return;
    const key = userKey(streamId(e.stream));
    if (NOT_ACCESS_CHANGES.has(e.type)) cache.drop(key);
    else await cache.changed(key);
  });
  cache.start();
}

export function toSessionUser(s: Services, u: UserDoc, via: 'session' | 'token'): SessionUser {
  return {
    id: u._id,
    username: u.username,
    fullName: u.fullName,
    email: u.email,
    roles: u.roles,
    via,
    totpEnrolled: !!u.totpFingerprint,
    mustChangePassword: mustChangePassword(s, u),
  };
}
