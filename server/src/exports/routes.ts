import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../platform/services.ts';
import { route } from '../platform/http/route.ts';
import { currentLocale } from '../platform/context.ts';
import { domainError, errors } from '../platform/errors.ts';
import { exportKind, REPORT_FORMS } from './kinds.ts';
import { fileOf, jobOf, startJob } from './jobs.ts';

// POST /exports → 202 and a job to poll; GET /exports/:jobId; GET /exports/:jobId/file.
const StartBody = z
  .object({
    kind: z.string().min(1).max(40),
    id: z.string().min(1).max(200),
    locale: z.enum(['zh-CN', 'en-US']).optional(),
    revision: z
      .string()
      .regex(/^[A-Z]{1,3}$/)
      .optional(),
    form: z.enum(REPORT_FORMS).optional(),
  })
  .strict();
const JobParams = z.object({ jobId: z.string().uuid() });
const ExportJobView = z.object({
  id: z.string(),
  kind: z.string(),
  recordId: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  progress: z.number(),
  stage: z.string(),
  filename: z.string(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export function exportRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });

  route(
    r,
    {
      method: 'post',
      path: '/exports',
      tag: 'exports',
      summary: 'Start a sealed PDF export of a record',
      access: 'authenticated',
      status: 202,
      body: StartBody,
      response: ExportJobView,
      errors: [429],
    },
    async ({ body, user }, ctx) => {
      const kind = exportKind(body.kind); // 400 for an unknown kind
      await kind.access(s, user, body.id, { revision: body.revision, form: body.form }); // 403 / 404 before any work starts
      ctx.status = 202;
      return startJob(s, user, body.kind, body.id, {
        locale: body.locale ?? currentLocale(),
        revision: body.revision,
        form: body.form,
      });
    },
  );

  route(
    r,
    {
      method: 'get',
      path: '/exports/:jobId',
      tag: 'exports',
      summary: 'An export job and its progress',
      access: 'authenticated',
      params: JobParams,
      response: ExportJobView,
    },
    async ({ params, user }) => {
      const e = await jobOf(s, user, params.jobId);
      if (!e) throw errors.notFound('export');
      return e.job;
    },
  );

  route(
    r,
    {
      method: 'get',
      path: '/exports/:jobId/file',
      tag: 'exports',
      summary: 'The sealed PDF of a finished export',
      access: 'authenticated',
      params: JobParams,
      errors: [409],
    },
    async ({ params, user }, ctx) => {
      const e = await jobOf(s, user, params.jobId);
      if (!e) throw errors.notFound('export');
      const pdf = e.job.status === 'done' ? await fileOf(s, e.job.id) : null;
      if (e.job.status !== 'done' || !pdf) {
        throw domainError(
          'EXPORT_NOT_READY',
          `The export is ${e.job.status}.`,
          `导出${e.job.status === 'failed' ? '失败' : '尚未完成'}。`,
          409,
          { status: e.job.status, error: e.job.error },
        );
      }
      ctx.set('content-type', 'application/pdf');
      ctx.set('content-disposition', `attachment; filename="${e.job.filename}"`);
      ctx.set('x-content-type-options', 'nosniff');
      ctx.set('cache-control', 'private, no-store');
      ctx.body = pdf;
      return undefined;
    },
  );
  return r;
}
