import type { Context, Next } from 'koa';
import { AppError } from '../errors.ts';
import { currentLocale } from '../context.ts';
import type { Logger } from '../logger.ts';

/**
 * The one place errors become responses: `{error: {code, message, details?}}`, message in the
 * caller's language, never a stack trace. Unknown errors are logged with the request id.
 */
export function errorHandler(logger: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api/')) throw new AppError('NOT_FOUND', { what: ctx.path });
    } catch (err) {
      const appErr = toAppError(err, ctx.state.requestId as string);
      if (appErr.status >= 500) logger.error({ err, requestId: ctx.state.requestId, path: ctx.path }, 'request failed');
      ctx.status = appErr.status;
      ctx.body = { error: { code: appErr.code, message: appErr.localized(currentLocale()), ...(appErr.details !== undefined ? { details: appErr.details } : {}) } };
    }
  };
}

function toAppError(err: unknown, requestId: string): AppError {
  if (err instanceof AppError) return err;
  const e = err as { status?: number; expose?: boolean; message?: string; type?: string; code?: number };
  if (e?.type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', { max: '1 MB' });
  if (e?.type === 'entity.parse.failed' || e?.status === 400) return new AppError('BAD_REQUEST', { reason: 'the request body is not valid JSON' });
  if (e?.status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', { type: 'this content type' });
  if (e?.code === 11000) return new AppError('CONFLICT');
  return new AppError('INTERNAL', { requestId }, undefined, 500);
}
