import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../platform/services.ts';
import { route } from '../platform/http/route.ts';
import type { Context } from 'koa';
import { changePassword, createApiToken, login, logout, revokeApiToken } from './authService.ts';
import { usersCollection } from './userService.ts';
import { errors } from '../platform/errors.ts';
import { presentUser } from './presenter.ts';
import {
  LoginBody,
  PasswordChangeBody,
  SessionView,
  TokenBody,
  TokenParams,
  TotpConfirmBody,
  TotpEnrolBody,
  UserView,
} from './schema.ts';
import { SESSION_COOKIE } from './authenticate.ts';
import { totpEnrolment } from './totpEnrolment.ts';
import { decoyHash } from './passwords.ts';
import { IdentityErrors } from './errors.ts';
import { rateLimit } from '../platform/http/rateLimit.ts';

export function authRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1/auth' });
  // In production the session cookie is only ever sent over TLS. A plain-HTTP sign-in is refused
  // before anything is checked or written; behind a TLS-terminating proxy, TRUST_PROXY makes Koa
  // read X-Forwarded-Proto (ctx.secure). Elsewhere the cookie is Secure whenever the request is.
  const requireTls = s.config.NODE_ENV === 'production';
  const cookieOptions = (ctx: Context) => ({
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: ctx.secure,
    path: '/',
    overwrite: true,
  });
  void decoyHash(); // computed now, not on the first unknown user name
  r.use('/login', rateLimit({ windowMs: 60_000, max: s.config.LOGIN_RATE_PER_MINUTE }));

  route(
    r,
    {
      method: 'post',
      path: '/login',
      tag: 'auth',
      summary: 'Sign in',
      access: 'public',
      body: LoginBody,
      response: SessionView,
    },
    async ({ body }, ctx) => {
      if (requireTls && !ctx.secure) throw IdentityErrors.HTTPS_REQUIRED();
      const { user, session } = await login(s, body.username, body.password, body.totp);
      ctx.cookies.set(SESSION_COOKIE, session.token, cookieOptions(ctx));
      return { user: presentUser(s, user), csrfToken: session.csrf };
    },
  );

  route(
    r,
    {
      method: 'post',
      path: '/logout',
      tag: 'auth',
      summary: 'Sign out',
      access: 'authenticated',
      selfService: true,
      allowWhenPasswordExpired: true,
    },
    async ({ user }, ctx) => {
      if (user.sessionId) await logout(s, user.id, user.sessionId);
      ctx.cookies.set(SESSION_COOKIE, null, cookieOptions(ctx));
      return { ok: true };
    },
  );

  route(
    r,
    {
      method: 'get',
      path: '/me',
      tag: 'auth',
      summary: 'Current user',
      access: 'authenticated',
      allowWhenPasswordExpired: true,
      response: SessionView,
    },
    // the user row the session check has just read (its cache, authCache.ts: no second round trip)
    async ({ user }) => {
      const u = await s.sessions.cache.user(usersCollection(s), user.id);
      if (!u) throw errors.notFound('user');
      return { user: presentUser(s, u), csrfToken: user.csrf };
    },
  );

  route(
    r,
    {
      method: 'post',
      path: '/password',
      tag: 'auth',
      summary: 'Change own password',
      access: 'authenticated',
      selfService: true,
      allowWhenPasswordExpired: true,
      body: PasswordChangeBody,
      response: z.object({ user: UserView }),
    },
    // ends the user's other sessions and every API token (see changePassword)
    async ({ user, body }) => ({
      user: presentUser(s, await changePassword(s, user, body.currentPassword, body.newPassword)),
    }),
  );

  const totp = totpEnrolment(s);
  route(
    r,
    {
      method: 'post',
      path: '/totp/enroll',
      tag: 'auth',
      summary: 'Start TOTP enrolment (password, and the current code when one is enrolled)',
      access: 'authenticated',
      selfService: true,
      body: TotpEnrolBody,
    },
    async ({ user, body }) => totp.start(user.id, body.password, body.code),
  );
  route(
    r,
    {
      method: 'post',
      path: '/totp/confirm',
      tag: 'auth',
      summary: 'Confirm TOTP enrolment',
      access: 'authenticated',
      selfService: true,
      body: TotpConfirmBody,
    },
    async ({ user, body }) => ({ user: presentUser(s, await totp.confirm(user.id, body.code)) }),
  );

  route(
    r,
    { method: 'get', path: '/tokens', tag: 'auth', summary: 'List own API tokens', access: 'authenticated' },
    async ({ user }) =>
      (await s.sessions.listTokens(user.id)).map((t) => ({
        id: t.tokenId,
        name: t.name,
        createdAt: t.createdAt,
        lastUsedAt: t.lastUsedAt ?? null,
        revokedAt: t.revokedAt ?? null,
      })),
  );
  route(
    r,
    {
      method: 'post',
      path: '/tokens',
      tag: 'auth',
      summary: 'Create an API token',
      access: 'authenticated',
      body: TokenBody,
    },
    async ({ user, body }) => createApiToken(s, user.id, body.name),
  );
  route(
    r,
    {
      method: 'post',
      path: '/tokens/:id/revoke',
      tag: 'auth',
      summary: 'Revoke an API token',
      access: 'authenticated',
      params: TokenParams,
    },
    async ({ user, params }) => {
      await revokeApiToken(s, user.id, params.id);
      return { ok: true };
    },
  );
  return r;
}
