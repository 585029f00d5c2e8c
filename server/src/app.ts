import Koa from 'koa';
import { bodyParser } from '@koa/bodyparser';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Services } from './platform/services.ts';
import { requestContext, type Locale } from './platform/context.ts';
import { errorHandler } from './platform/http/onerror.ts';
import { serveClient } from './platform/http/static.ts';
import { healthRoutes } from './platform/http/health.routes.ts';
import { authenticate } from './identity/authenticate.ts';
import { authRoutes } from './identity/auth.routes.ts';
import { userRoutes } from './identity/users.routes.ts';
import { ledgerRoutes } from './ledger/routes.ts';
import { signatureRoutes } from '../../signatures/esign/routes.ts';
import { moduleRoutes } from './modules/index.ts';

const CLIENT_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/dist');

export function createApp(s: Services): Koa {
  const app = new Koa({ asyncLocalStorage: true, proxy: s.config.TRUST_PROXY });
  app.silent = true; // errors are logged by errorHandler with their request id
  app.use(async (ctx, next) => {
    const requestId = ctx.get('x-request-id').slice(0, 64) || randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('x-request-id', requestId);
    const locale: Locale = /^zh/i.test(ctx.get('accept-language')) ? 'zh-CN' : 'en-US';
    const started = Date.now();
    await requestContext.run({ requestId, locale }, next);
    if (ctx.path.startsWith('/api/')) s.logger.info({ requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Date.now() - started, user: (ctx.state.user as { username?: string } | undefined)?.username }, 'request');
  });
  app.use(async (ctx, next) => {
    ctx.set('x-frame-options', 'SAMEORIGIN'); // the client previews PDFs in a same-origin frame
    ctx.set('referrer-policy', 'same-origin');
    await next();
  });
  app.use(serveClient(CLIENT_DIST));
  app.use(errorHandler(s.logger));
  app.use(bodyParser({ jsonLimit: '1mb', enableTypes: ['json'], encoding: 'utf-8' }));
  app.use(authenticate(s));
  for (const router of [healthRoutes(s), authRoutes(s), userRoutes(s), ledgerRoutes(s), signatureRoutes(s), ...moduleRoutes(s)]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
