import Koa from 'koa';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Services } from './platform/services.ts';
import { requestContext, type Locale } from './platform/context.ts';
import { errorHandler } from './platform/http/onerror.ts';
import { securityHeaders } from './platform/http/headers.ts';
import { serveClient } from './platform/http/static.ts';
import { healthRoutes } from './platform/http/health.routes.ts';
import { authenticate } from './identity/authenticate.ts';
import { authRoutes } from './identity/auth.routes.ts';
import { userRoutes } from './identity/users.routes.ts';
import { ledgerRoutes } from './ledger/routes.ts';
import { signatureRoutes } from './records/signatureRoutes.ts';
import { moduleRoutes } from './modules/index.ts';

const CLIENT_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/dist');

export function createApp(s: Services): Koa {
  const app = new Koa({ asyncLocalStorage: true, proxy: s.config.TRUST_PROXY });
  app.silent = true; // errors are logged by errorHandler with their request id
  // what escapes every middleware (a body stream failing after the headers went out) is logged too
  app.on('error', (err: unknown, ctx?: Koa.Context) =>
    s.logger.error({ err, requestId: ctx?.state.requestId, path: ctx?.path }, 'response failed'),
  );
  app.use(async (ctx, next) => {
    const given = ctx.get('x-request-id');
    const requestId = /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID(); // it goes into logs and a header: plain characters only
    ctx.state.requestId = requestId;
    ctx.set('x-request-id', requestId);
    const locale: Locale = /^zh/i.test(ctx.get('accept-language')) ? 'zh-CN' : 'en-US';
    const started = Date.now();
    await requestContext.run({ requestId, locale }, next);
    if (ctx.path.startsWith('/api/') || ctx.status >= 400)
      s.logger.info(
        {
          requestId,
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Date.now() - started,
          user: (ctx.state.user as { username?: string } | undefined)?.username,
        },
        'request',
      );
  });
  app.use(securityHeaders());
  app.use(errorHandler(s.logger)); // outside everything that can fail, the static files included
  app.use(serveClient(CLIENT_DIST));
  // JSON bodies are parsed by route() after its access checks, not here
  app.use(authenticate(s));
  for (const router of [
    healthRoutes(s),
    authRoutes(s),
    userRoutes(s),
    ledgerRoutes(s),
    signatureRoutes(s),
    ...moduleRoutes(s),
  ]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
