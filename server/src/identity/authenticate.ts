import type { Context, Next } from 'koa';
import type { Services } from '../platform/services.ts';
import { requestContext } from '../platform/context.ts';
import { streamOf } from '../records/registry.ts';
import { SYSTEM_ACTOR } from '../platform/context.ts';
import { actorOf, mustChangePassword } from './authService.ts';
import { usersCollection, type UserDoc } from './userService.ts';
import { userEvents } from './events.ts';
import type { SessionUser } from './sessionUser.ts';

export const SESSION_COOKIE = 'provenant_session';

/**
 * Identifies the caller from the session cookie or a bearer API token and puts the acting user
 * in the request context (the ledger reads it from there). Rejection is each route's business
 * (see route.ts), so that login and health stay reachable.
 */
export function authenticate(s: Services) {
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
  const u = await usersCollection(s).findOne({ _id: id });
  return u && u.status === 'active' ? u : null;
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
