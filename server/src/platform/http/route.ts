import type Router from '@koa/router';
import type { Context } from 'koa';
import { bodyParser } from '@koa/bodyparser';
import { z, type ZodType } from 'zod';
import { registry, ErrorBody } from './openapi.ts';
import { assertWellFormedText, parseOrThrow } from './validate.ts';
import { AppError, errors } from '../errors.ts';
import { Id } from '../schemas.ts';
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
  /** The success status when not 200 (201 created, 202 accepted). */
  status?: 201 | 202 | 204;
  /** The body is one multipart file field (read by the handler, after the access checks). */
  upload?: boolean;
  /** Error statuses this route returns beyond those its shape implies (see errorStatuses). */
  errors?: number[];
}

export interface Input<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  user: SessionUser;
}

const UNSAFE = new Set(['post', 'put', 'patch', 'delete']);

// JSON bodies are read only by a route that takes one, and only after its access checks pass:
// an unauthenticated or unauthorized caller never gets the server to read (up to 1 MB of) a body.
const jsonBody = bodyParser({
  jsonLimit: '1mb',
  enableTypes: ['json'],
  encoding: 'utf-8',
  parsedMethods: ['POST', 'PUT', 'PATCH', 'DELETE'],
});
async function readJsonBody(ctx: Context): Promise<unknown> {
  const length = Number(ctx.get('content-length') || 0);
  const hasBody = length > 0 || Boolean(ctx.get('transfer-encoding'));
  if (hasBody && !ctx.is('json'))
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { type: ctx.get('content-type') || 'none' });
  if (!hasBody) return {};
  if (ctx.req.closed) throw errors.badRequest('The request body was incomplete.', '请求体不完整。');
  await jsonBody(ctx, async () => {});
  return (ctx.request as { body?: unknown }).body ?? {};
}

/**
 * Declares one endpoint: access rule → CSRF → validation → handler, and registers it in the
 * OpenAPI document from the same schemas. A handler returns the response body (already
 * presented) or sets ctx.body itself and returns undefined.
 */
export function route<B = undefined, Q = undefined, P = undefined>(
  router: Router,
  spec: RouteSpec<B, Q, P>,
  handler: (input: Input<B, Q, P>, ctx: Context) => Promise<unknown>,
) {
  registerDoc(spec, (router as unknown as { opts?: { prefix?: string } }).opts?.prefix ?? '');
  router[spec.method](spec.path, async (ctx: Context) => {
    const user = ctx.state.user as SessionUser | undefined;
    if (spec.access !== 'public') {
      if (!user) throw ctx.state.sessionExpired ? new AppError('SESSION_EXPIRED') : errors.unauthenticated();
      if (UNSAFE.has(spec.method) && user.via === 'session' && ctx.get('x-csrf-token') !== user.csrf)
        throw new AppError('CSRF_FAILED');
      if (user.mustChangePassword && !spec.allowWhenPasswordExpired) throw new AppError('PASSWORD_CHANGE_REQUIRED');
      // an auditor's own account (password, second factor, sign-out) is the only thing they change
      if (UNSAFE.has(spec.method) && isReadOnly(user) && !spec.selfService)
        throw errors.forbidden(spec.summary.toLowerCase());
      if (spec.access !== 'authenticated' && !hasPermission(user, spec.access))
        throw errors.forbidden(spec.summary.toLowerCase());
    }
    const raw = spec.body ? await readJsonBody(ctx) : undefined;
    assertWellFormedText(raw, 'body');
    assertWellFormedText(ctx.query, 'query');
    assertWellFormedText(ctx.params, 'params');
    const input = {
      body: spec.body ? parseOrThrow(spec.body, raw, 'body') : undefined,
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
  const error = (description: string) => ({ description, content: { 'application/json': { schema: ErrorBody } } });
  const upload = z.object({ file: z.string().meta({ format: 'binary' }) });
  registry.registerPath({
    method: spec.method,
    path,
    tags: [spec.tag],
    summary: spec.summary,
    description:
      spec.access === 'public'
        ? 'No authentication.'
        : `Requires ${spec.access === 'authenticated' ? 'a session or token' : `permission \`${spec.access}\``}.`,
    security: spec.access === 'public' ? [] : [{ session: [] }, { token: [] }],
    request: {
      // required unless an empty object is a valid body (a missing body is read as {})
      ...(spec.body
        ? {
            body: {
              required: !spec.body.safeParse({}).success,
              content: { 'application/json': { schema: spec.body } },
            },
          }
        : {}),
      ...(spec.upload ? { body: { required: true, content: { 'multipart/form-data': { schema: upload } } } } : {}),
      ...(spec.query ? { query: spec.query as never } : {}),
      ...(spec.params ? { params: spec.params as never } : {}),
    },
    responses: {
      [spec.status ?? 200]: {
        description: SUCCESS[spec.status ?? 200],
        ...(spec.response ? { content: { 'application/json': { schema: spec.response } } } : {}),
      },
      ...Object.fromEntries(errorStatuses(spec).map((st) => [st, error(ERROR_TEXT[st] ?? 'Refused')])),
    },
  });
}

const SUCCESS: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' };
const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input',
  401: 'Not signed in, or wrong credentials',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Refused in the current state, or changed by someone else',
  413: 'Body too large',
  415: 'Unsupported content type',
  422: 'A quantity or amount would leave its bounds',
  423: 'Account locked',
  429: 'Too many requests',
  503: 'Busy or not available here; try again',
};

/**
 * Every error status an operation can answer, derived from its declaration so the OpenAPI
 * document and the server agree (generated clients and fuzzers check responses against it):
 * any input → 400; a session → 401/403; a path id or a body naming other records → 404;
 * a state change → 409; a body → 413/415; a password in the body (sign-in, signing,
 * re-authentication) → 401 and the lockout's 423; sign-in is rate limited → 429.
 */
export function errorStatuses(
  spec: Pick<RouteSpec<unknown, unknown, unknown>, 'method' | 'access' | 'body' | 'params' | 'upload' | 'errors'>,
): number[] {
  const out = new Set<number>([400]);
  const unsafe = UNSAFE.has(spec.method);
  const hasBody = Boolean(spec.body || spec.upload);
  if (spec.access !== 'public') {
    out.add(401);
    out.add(403);
  }
  if (spec.params || (unsafe && hasBody)) out.add(404);
  // a write can meet a record in another state, or busy past its retries (RECORD_BUSY, NUMBERING_BUSY)
  if (unsafe && spec.access !== 'public') {
    out.add(409);
    out.add(503);
  }
  // a number in the body can take a sum or product out of its domain's bounds (QUANTITY_OUT_OF_RANGE, AMOUNT_OUT_OF_RANGE)
  if (unsafe && hasNumber(spec.body)) out.add(422);
  if (hasBody) {
    out.add(413);
    out.add(415);
  }
  if (hasPassword(spec.body)) {
    out.add(401);
    out.add(403);
    out.add(423);
  }
  if (spec.access === 'public' && unsafe) out.add(429);
  for (const st of spec.errors ?? []) out.add(st);
  return [...out].sort((a, b) => a - b);
}

function hasNumber(schema: ZodType | undefined): boolean {
  if (!schema) return false;
  const json = JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
  return /"type":(\[[^\]]*)?"(number|integer)"/.test(json);
}

function hasPassword(schema: ZodType | undefined): boolean {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return Boolean(shape && ('password' in shape || 'currentPassword' in shape));
}

export const IdParams = z.object({ id: Id });
