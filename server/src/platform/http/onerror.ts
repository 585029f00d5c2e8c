import type { Context, Next } from 'koa';
import { AppError, errors } from '../errors.ts';
import { PlatformErrors } from '../platformErrors.ts';
import { currentLocale } from '../context.ts';
import type { Logger } from '../logger.ts';

/**
 * The one place errors become responses: `{error: {code, message, details?}}`, message in the
 * caller's language, never a stack trace. It wraps everything after the request id and the
 * security headers, so no path (static files, routers, body parsing) can answer in another shape.
 * Unknown errors are logged with the request id.
 */
export function errorHandler(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      const bare = bareStatus(ctx);
      if (bare) throw bare;
    } catch (err) {
      const appErr = toAppError(err, ctx.state.requestId as string);
      if (appErr.status >= 500)
        logger.error({ err, requestId: ctx.state.requestId, method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = appErr.status;
      ctx.body = {
        error: {
          code: appErr.code,
          message: appErr.localized(currentLocale()),
          ...(appErr.details !== undefined ? { details: appErr.details } : {}),
        },
      };
    }
  };
}

/** A status some middleware set without a body (router 404/405/501): give it the error shape. */
function bareStatus(ctx: Context): AppError | null {
  if (ctx.status < 400 || (ctx.body !== undefined && ctx.body !== null)) return null;
  if (ctx.status === 405 || ctx.status === 501) {
    // @koa/router answers 501 for a method it does not know (TRACE, CONNECT…): for the caller
    // that is the same as any other method the address does not take (RFC 9110 §15.5.6).
    const allowed = ctx.response.get('allow') || (ctx.path.startsWith('/api/') ? '' : 'GET, HEAD');
    if (!allowed) {
      ctx.remove('allow');
      return new AppError('NOT_FOUND', { what: ctx.path });
    }
    ctx.set('allow', allowed);
    return new AppError('METHOD_NOT_ALLOWED', { method: ctx.method, allowed });
  }
  if (ctx.status === 404) return new AppError('NOT_FOUND', { what: ctx.path });
  return errors.badRequest('The request was refused.', '请求被拒绝。', ctx.status);
}

const NOT_JSON = () => errors.badRequest('The request body is not valid JSON.', '请求体不是有效的 JSON。');

/** Errors thrown by Koa, the body parser (raw-body `type`s) or the URL decoder, mapped onto the catalog. */
export function toAppError(err: unknown, requestId: string): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof URIError) return new AppError('MALFORMED_URL');
  const e = err as { status?: number; expose?: boolean; message?: string; type?: string; code?: number };
  switch (e?.type) {
    case 'entity.too.large':
      return new AppError('PAYLOAD_TOO_LARGE', { max: '1 MB' });
    case 'entity.parse.failed':
      return NOT_JSON();
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', { reason: 'encoding' });
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return errors.badRequest('The request body was incomplete.', '请求体不完整。');
  }
  if (err instanceof SyntaxError && e.status === 400) {
    // the JSON parser (bourne) refuses __proto__ keys outright: prototype pollution never reaches a handler
    return /prototype/i.test(String(e.message))
      ? errors.badRequest('The request body has a forbidden "__proto__" key.', '请求体含有禁止使用的 "__proto__" 键。')
      : NOT_JSON();
  }
  if (e?.status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE');
  // zlib (Content-Encoding: gzip/deflate) on a body that is not what it says, or cut short
  if (typeof (err as { code?: unknown })?.code === 'string' && /^Z_/.test((err as { code: string }).code)) {
    return PlatformErrors.BODY_ENCODING_INVALID();
  }
  if (e?.code === 11000) return new AppError('CONFLICT');
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500)
    return e.expose
      ? errors.badRequest(String(e.message), `请求被拒绝:${String(e.message)}`, e.status)
      : errors.badRequest('The request was refused.', '请求被拒绝。', e.status);
  return new AppError('INTERNAL', { requestId }, undefined, 500);
}
