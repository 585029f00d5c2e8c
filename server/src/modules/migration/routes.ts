import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { route } from '../../platform/http/route.ts';
import { MIGRATION_KINDS } from './events.ts';
import { check, commit, template } from './service.ts';
import { readSheetUpload } from './upload.ts';
import { KINDS } from './kinds.ts';

// Data migration from Excel (.xlsx) and CSV (issue 14 item 3): a template per kind, a dry run
// (the cleansing report, nothing written) and an all-or-none commit, for administrators (and QA,
// whose ASL rights an import of suppliers may need).
const KindParams = z.object({ kind: z.enum(MIGRATION_KINDS) }).strict();

export function migrationRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/migration/kinds',
      tag: 'migration',
      summary: 'The registers that can be imported, with their columns',
      access: 'migration.run',
    },
    async () =>
      MIGRATION_KINDS.map((kind) => ({
        kind,
        columns: KINDS[kind].columns.map(({ key, en, zh, required }) => ({ key, en, zh, required: !!required })),
      })),
  );
  route(
    r,
    {
      method: 'get',
      path: '/migration/:kind/template.xlsx',
      tag: 'migration',
      summary: 'The Excel template of a kind (headers in English and Chinese; either is accepted)',
      access: 'migration.run',
      params: KindParams,
    },
    async ({ params }, ctx) => {
      ctx.set('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      ctx.set('content-disposition', `attachment; filename="${params.kind}-template.xlsx"`);
      ctx.set('x-content-type-options', 'nosniff');
      ctx.body = await template(params.kind);
      return undefined;
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/migration/:kind/dry-run',
      tag: 'migration',
      summary:
        'Check a file (.xlsx or UTF-8 CSV, multipart field `file`): the cleansing report by row and column; writes nothing',
      access: 'migration.run',
      params: KindParams,
      upload: true,
      errors: [413, 415],
    },
    async ({ params, user }, ctx) => (await check(s, user, params.kind, await readSheetUpload(ctx))).report,
  );
  route(
    r,
    {
      method: 'post',
      path: '/migration/:kind/commit',
      tag: 'migration',
      summary: 'Import every row or none (422 with the cleansing report when any row has an error)',
      access: 'migration.run',
      params: KindParams,
      upload: true,
      status: 201,
      errors: [413, 415, 422],
    },
    async ({ params, user }, ctx) => {
      const out = await commit(s, user, params.kind, await readSheetUpload(ctx));
      ctx.status = 201;
      return out;
    },
  );
  return r;
}
