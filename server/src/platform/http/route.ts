import type Router from '@koa/router';
import type { Context } from 'koa';
import { z, type ZodType } from 'zod';
import { registry, ErrorBody } from './openapi.ts';
import { parseOrThrow } from './validate.ts';
import { AppError, errors } from '../errors.ts';
import { hasPermission, isReadOnly, type Permission } from '../../identity/roles.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';

export type Access = 'public' | 'authenticated' | Permission;

export interface RouteSpec<B, Q, P> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string; // Koa style: /api/v1/users/:id
  tag: string;
  summary: string;
  access: Access;
  body?: ZodType<B>;
  query?: ZodType<Q>;
  params?: ZodType<P>;
  response?: ZodType;
  /** Reachable while the user's password has expired (change password, logout, me). */
  allowWhenPasswordExpired?: boolean;
  /** Changes only the caller's own account, so read-only roles may call it too. */
  selfService?: boolean;
}

export interface Input<B, Q, P> { body: B; query: Q; params: P; user: SessionUser }

const UNSAFE = new Set(['post', 'put', 'patch', 'delete']);

/**
 * Declares one endpoint: access rule → CSRF → validation → handler, and registers it in the
 * OpenAPI document from the same schemas. A handler returns the response body (already
 * presented) or sets ctx.body itself and returns undefined.
 */
export function route<B = undefined, Q = undefined, P = undefined>(router: Router, spec: RouteSpec<B, Q, P>,
  handler: (input: Input<B, Q, P>, ctx: Context) => Promise<unknown>) {
  registerDoc(spec, (router as unknown as { opts?: { prefix?: string } }).opts?.prefix ?? '');
  router[spec.method](spec.path, async (ctx: Context) => {
    const user = ctx.state.user as SessionUser | undefined;
    if (spec.access !== 'public') {
      if (!user) throw ctx.state.sessionExpired ? new AppError('SESSION_EXPIRED') : errors.unauthenticated();
      if (UNSAFE.has(spec.method) && user.via === 'session' && ctx.get('x-csrf-token') !== user.csrf) throw new AppError('CSRF_FAILED');
      if (user.mustChangePassword && !spec.allowWhenPasswordExpired) throw new AppError('PASSWORD_CHANGE_REQUIRED');
      // an auditor's own account (password, second factor, sign-out) is the only thing they change
      if (UNSAFE.has(spec.method) && isReadOnly(user) && !spec.selfService) throw errors.forbidden(spec.summary.toLowerCase());
      if (spec.access !== 'authenticated' && !hasPermission(user, spec.access)) throw errors.forbidden(spec.summary.toLowerCase());
    }
    const input = {
      body: spec.body ? parseOrThrow(spec.body, (ctx.request as { body?: unknown }).body ?? {}, 'body') : undefined,
      query: spec.query ? parseOrThrow(spec.query, ctx.query, 'query') : undefined,
      params: spec.params ? parseOrThrow(spec.params, ctx.params, 'params') : undefined,
      user: user as SessionUser,
    } as Input<B, Q, P>;
    const result = await handler(input, ctx);
    if (result !== undefined) ctx.body = result;
    else if (ctx.body === undefined) ctx.status = 204;
  });
}

function registerDoc(spec: RouteSpec<unknown, unknown, unknown>, prefix: string) {
  const path = (prefix + spec.path).replace(/:(\w+)/g, '{$1}');
  registry.registerPath({
    method: spec.method, path, tags: [spec.tag], summary: spec.summary,
    description: spec.access === 'public' ? 'No authentication.' : `Requires ${spec.access === 'authenticated' ? 'a session or token' : `permission \`${spec.access}\``}.`,
    security: spec.access === 'public' ? [] : [{ session: [] }, { token: [] }],
    request: {
      ...(spec.body ? { body: { content: { 'application/json': { schema: spec.body } } } } : {}),
      ...(spec.query ? { query: spec.query as never } : {}),
      ...(spec.params ? { params: spec.params as never } : {}),
    },
    responses: {
      200: { description: 'OK', ...(spec.response ? { content: { 'application/json': { schema: spec.response } } } : {}) },
      400: { description: 'Invalid input', content: { 'application/json': { schema: ErrorBody } } },
      ...(spec.access === 'public' ? {} : { 401: { description: 'Not signed in', content: { 'application/json': { schema: ErrorBody } } },
        403: { description: 'Not allowed', content: { 'application/json': { schema: ErrorBody } } } }),
    },
  });
}

export const IdParams = z.object({ id: z.string().min(1).max(100) });
