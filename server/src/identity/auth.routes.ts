import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../platform/services.ts';
import { route } from '../platform/http/route.ts';
import { AppError } from '../platform/errors.ts';
import { streamOf } from '../records/registry.ts';
import { changePassword, createApiToken, login, logout, revokeApiToken, actorOf } from './authService.ts';
import { getUser } from './userService.ts';
import { presentUser } from './presenter.ts';
import { LoginBody, PasswordChangeBody, SessionView, TokenBody, TokenParams, TotpConfirmBody, UserView } from './schema.ts';
import { SESSION_COOKIE } from './authenticate.ts';
import { newTotpSecret, otpauthUrl, verifyTotp } from './totp.ts';
import { fingerprint } from './credentials.ts';
import { rateLimit } from '../platform/http/rateLimit.ts';

export function authRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1/auth' });
  const secureCookie = s.config.NODE_ENV === 'production';
  r.use('/login', rateLimit({ windowMs: 60_000, max: s.config.LOGIN_RATE_PER_MINUTE }));

  route(r, { method: 'post', path: '/login', tag: 'auth', summary: 'Sign in', access: 'public', body: LoginBody, response: SessionView },
    async ({ body }, ctx) => {
      const { user, session } = await login(s, body.username, body.password, body.totp);
      ctx.cookies.set(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'strict', secure: secureCookie, path: '/', overwrite: true });
      return { user: presentUser(s, user), csrfToken: session.csrf };
    });

  route(r, { method: 'post', path: '/logout', tag: 'auth', summary: 'Sign out', access: 'authenticated', selfService: true, allowWhenPasswordExpired: true },
    async ({ user }, ctx) => {
      if (user.sessionId) await logout(s, user.id, user.sessionId, actorOf(user));
      ctx.cookies.set(SESSION_COOKIE, null);
      return { ok: true };
    });

  route(r, { method: 'get', path: '/me', tag: 'auth', summary: 'Current user', access: 'authenticated', allowWhenPasswordExpired: true, response: SessionView },
    async ({ user }) => ({ user: presentUser(s, await getUser(s, user.id)), csrfToken: user.csrf }));

  route(r, { method: 'post', path: '/password', tag: 'auth', summary: 'Change own password', access: 'authenticated', selfService: true, allowWhenPasswordExpired: true, body: PasswordChangeBody, response: z.object({ user: UserView }) },
    async ({ user, body }) => ({ user: presentUser(s, await changePassword(s, user.id, body.currentPassword, body.newPassword)) }));

  // TOTP enrolment is two steps: the secret is shown once, and only a correct code from the
  // user's app makes it required (so nobody locks themselves out with a mistyped secret).
  const pending = new Map<string, { secret: string; until: number }>();
  route(r, { method: 'post', path: '/totp/enroll', tag: 'auth', summary: 'Start TOTP enrolment', access: 'authenticated', selfService: true },
    async ({ user }) => {
      const secret = newTotpSecret();
      pending.set(user.id, { secret, until: Date.now() + 10 * 60_000 });
      return { secret, otpauthUrl: otpauthUrl(secret, user.username) };
    });
  route(r, { method: 'post', path: '/totp/confirm', tag: 'auth', summary: 'Confirm TOTP enrolment', access: 'authenticated', selfService: true, body: TotpConfirmBody },
    async ({ user, body }) => {
      const p = pending.get(user.id);
      if (!p || p.until < Date.now()) throw new AppError('BAD_REQUEST', { reason: 'start the enrolment first' });
      if (!verifyTotp(p.secret, body.code)) throw new AppError('TOTP_INVALID');
      pending.delete(user.id);
      const sealed = s.credentials.sealTotp(p.secret);
      await s.credentials.add(user.id, 'totp', sealed);
      await s.ledger.append(streamOf('user', user.id), 'user.totpEnrolled', { totpFingerprint: fingerprint(sealed) });
      return { user: presentUser(s, await getUser(s, user.id)) };
    });

  route(r, { method: 'get', path: '/tokens', tag: 'auth', summary: 'List own API tokens', access: 'authenticated' },
    async ({ user }) => (await s.sessions.listTokens(user.id)).map((t) => ({ id: t.tokenId, name: t.name, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt ?? null, revokedAt: t.revokedAt ?? null })));
  route(r, { method: 'post', path: '/tokens', tag: 'auth', summary: 'Create an API token', access: 'authenticated', body: TokenBody },
    async ({ user, body }) => createApiToken(s, user.id, body.name));
  route(r, { method: 'post', path: '/tokens/:id/revoke', tag: 'auth', summary: 'Revoke an API token', access: 'authenticated', params: TokenParams },
    async ({ user, params }) => { await revokeApiToken(s, user.id, params.id); return { ok: true }; });
  return r;
}
