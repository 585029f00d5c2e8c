import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../services.ts';
import { route } from './route.ts';
import { DOCS_CSP, DOCS_PAGE, openApiDocument } from './openapi.ts';
import { DOCS_ASSET_NAMES, docsAsset } from './docsAssets.ts';

export function healthRoutes(s: Services) {
  const r = new Router({ prefix: '/api' });
  route(
    r,
    {
      method: 'get',
      path: '/v1/health',
      tag: 'platform',
      summary:
        "Liveness and ledger head; `ledger.events` counts every event once the start-up scan of heads is done (`checks: done`), the latest checkpoint's count before",
      access: 'public',
      response: z.object({
        status: z.literal('ok'),
        engine: z.string(),
        version: z.string(),
        ledger: z.object({
          events: z.number(),
          head: z.string().nullable(),
          checkpoint: z.number().nullable(),
          checks: z.enum(['running', 'done']),
        }),
      }),
    },
    async () => {
      // never waits for the start-up scan: this is what a load balancer asks
      const latest = await s.checkpointer.latest();
      const known = s.ledger.countKnown();
      return {
        status: 'ok',
        engine: s.engine,
        version: s.version,
        ledger: {
          events: known ?? latest?.events ?? 0,
          head: latest?.root ?? null,
          checkpoint: latest?.seq ?? null,
          checks: known !== null && s.projector.atStart ? 'done' : 'running',
        },
      };
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/v1/openapi.json',
      tag: 'platform',
      summary: 'This API as OpenAPI 3.1',
      access: 'authenticated',
    },
    async () => openApiDocument(s.version),
  );
  route(
    r,
    { method: 'get', path: '/docs', tag: 'platform', summary: 'Browsable API documentation', access: 'authenticated' },
    async (_i, ctx) => {
      ctx.type = 'html';
      ctx.set('content-security-policy', DOCS_CSP);
      ctx.body = DOCS_PAGE;
      return undefined;
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/docs/assets/:name',
      tag: 'platform',
      summary: 'The API browser’s stylesheet and scripts (Swagger UI, served locally)',
      access: 'authenticated',
      params: z.object({ name: z.enum(DOCS_ASSET_NAMES) }),
    },
    async ({ params }, ctx) => {
      const asset = await docsAsset(params.name);
      ctx.type = asset.type;
      ctx.set('cache-control', 'private, max-age=3600');
      ctx.body = asset.body;
      return undefined;
    },
  );
  return r;
}
