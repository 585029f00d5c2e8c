import type { Context, Next } from 'koa';
import { AppError } from '../errors.ts';

/** A small fixed-window limiter per client address (enough to blunt password guessing). */
export function rateLimit(opts: { windowMs: number; max: number }) {
  const hits = new Map<string, { count: number; resetAt: number }>();
  return async (ctx: Context, next: Next) => {
    const now = Date.now();
    const key = ctx.ip;
    const h = hits.get(key);
    if (!h || h.resetAt < now) hits.set(key, { count: 1, resetAt: now + opts.windowMs });
    else if (++h.count > opts.max) throw new AppError('RATE_LIMITED');
    if (hits.size > 10_000) hits.clear();
    await next();
  };
}
