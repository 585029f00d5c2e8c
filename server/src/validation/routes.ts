import Router from '@koa/router';
import { GridFSBucket, type Db } from 'mongodb';
import { z } from 'zod';
import type { Services } from '../platform/services.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { route } from '../platform/http/route.ts';
import { currentLocale } from '../platform/context.ts';
import { domainError, errors } from '../platform/errors.ts';
import { hasPermission } from '../identity/roles.ts';
import type { ExportKind } from '../exports/kinds.ts';
import { appendValidationPackage, renderValidationPackage, type RenderedValidationPackage } from './validate.ts';
import { nowIso } from '../platform/clock.ts';

// The admin validation page (issue 14 item 1; ISO 13485:2016 4.1.6, 21 CFR 11.10(a)): the same
// sealed package as `provenant validate` — IQ, the traceability matrix read from the last API test
// report, the PQ templates — WITHOUT the OQ run (that starts test servers; it stays a CLI step).
// The package goes on the ledger like any export (stream export:<id>, kind 'validation'); its PDF
// is kept in the database (GridFS bucket `validation_packages`, _id = the export id, the summary in
// its metadata) so that any administrator can fetch it later: a validation record is retained, not
// dropped after an hour like an export job's file. Packages made by the CLI are listed from the
// ledger's export records too, without a file (the CLI wrote it to disk).
export const VALIDATION_BUCKET = 'validation_packages';
const bucket = (db: Db) => new GridFSBucket(db, { bucketName: VALIDATION_BUCKET });

const GenerateBody = z.object({ locale: z.enum(['zh-CN', 'en-US']).optional() }).strict();
const IdParams = z.object({ id: z.string().uuid() }).strict();

export function validationSummary(p: RenderedValidationPackage) {
  const f = p.iq.files;
  return {
    iq: {
      product: p.iq.product,
      version: p.iq.version,
      commit: p.iq.commit,
      node: p.iq.node,
      platform: p.iq.platform,
      engine: p.iq.engine,
      clock: p.iq.clock,
      ok: p.iq.ok,
      checks: p.iq.checks,
      files: 'error' in f ? { error: f.error } : { checked: f.checked, ok: f.ok, findings: f.findings },
    },
    matrix: {
      report: p.matrix.report,
      requirements: p.matrix.rows.length,
      covered: p.matrix.rows.filter((r) => r.covered).length,
      gaps: p.matrix.gaps,
      gapList: p.matrix.rows
        .filter((r) => !r.covered)
        .map((r) => ({
          id: r.requirement.id,
          source: r.requirement.source,
          clause: r.requirement.clause,
          text: r.requirement.text,
          feature: r.requirement.feature,
          gap: r.gap,
        })),
    },
    oq: null,
  };
}
export type ValidationSummary = ReturnType<typeof validationSummary>;

/** Export kind 'validation' (POST /exports {kind: 'validation', id: 'package'}): the same package through the export jobs. */
export const validationExport: ExportKind = {
  async access(_s, user: SessionUser, id) {
    if (!hasPermission(user, 'validation.run')) throw errors.forbidden('generate the validation package');
    if (id !== 'package') throw errors.notFound('validation package');
  },
  async build(s, user, _id, opts, progress) {
    progress(0.1, 'iq');
    const p = await renderValidationPackage(s, { locale: opts.locale, jobId: opts.jobId, printedBy: user.fullName });
    return {
      filename: p.filename,
      pdf: p.pdf,
      recordStream: p.stream,
      recordVersion: p.recordVersion,
      headHash: p.headHash,
      pages: p.pages,
    };
  },
};

// hashing every shipped file and rendering the package takes seconds: one at a time per server
const busy = new WeakSet<Services>();

export function validationRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'post',
      path: '/validation/packages',
      tag: 'validation',
      summary: 'Generate the validation package (IQ, traceability matrix from the last test report, PQ templates)',
      access: 'validation.run',
      status: 201,
      body: GenerateBody,
      errors: [503],
    },
    async ({ body, user }, ctx) => {
      if (busy.has(s))
        throw domainError(
          'VALIDATION_BUSY',
          'A validation package is being generated; try again in a moment.',
          '正在生成验证包,请稍后重试。',
          503,
        );
      busy.add(s);
      try {
        const p = await renderValidationPackage(s, {
          locale: body.locale ?? currentLocale(),
          printedBy: user.fullName,
        });
        const summary = validationSummary(p);
        // the file first, then the ledger event that lists it: a listed package has its file
        await new Promise<void>((resolve, reject) => {
          const up = bucket(s.db).openUploadStreamWithId(p.jobId as never, p.filename, { metadata: { summary } });
          up.once('finish', () => resolve());
          up.once('error', reject);
          up.end(p.pdf);
        });
        await appendValidationPackage(s, p);
        ctx.status = 201;
        return {
          id: p.jobId,
          stream: p.stream,
          sha256: p.sha256,
          pages: p.pages,
          locale: p.locale,
          generatedAt: nowIso(),
          ...summary,
        };
      } finally {
        busy.delete(s);
      }
    },
  );

  route(
    r,
    {
      method: 'get',
      path: '/validation/packages',
      tag: 'validation',
      summary: 'Validation packages generated so far (by this page and by the CLI), newest first',
      access: 'validation.run',
    },
    async () => {
      const docs = await s.db
        .collection('exports')
        .find({ kind: 'validation' })
        .sort({ generatedAt: -1 })
        .limit(200)
        .toArray();
      const files = new Map<string, { summary?: ValidationSummary }>();
      for (const f of await bucket(s.db)
        .find({ _id: { $in: docs.map((d) => d._id) } as never })
        .toArray())
        files.set(String(f._id), (f.metadata ?? {}) as { summary?: ValidationSummary });
      return docs.map((d) => {
        const meta = files.get(String(d._id));
        const sum = meta?.summary;
        return {
          id: String(d._id),
          stream: `export:${String(d._id)}`,
          generatedAt: d.generatedAt as string,
          generatedBy: d.generatedBy as { id: string; name: string },
          sha256: d.sha256 as string,
          pages: d.pages as number,
          locale: d.locale as string,
          file: !!meta,
          iqOk: sum ? sum.iq.ok : null,
          requirements: sum ? sum.matrix.requirements : null,
          gaps: sum ? sum.matrix.gaps : null,
        };
      });
    },
  );

  route(
    r,
    {
      method: 'get',
      path: '/validation/packages/:id/file',
      tag: 'validation',
      summary: 'The sealed PDF of a validation package generated on the admin page',
      access: 'validation.run',
      params: IdParams,
    },
    async ({ params }, ctx) => {
      const chunks: Buffer[] = [];
      try {
        for await (const c of bucket(s.db).openDownloadStream(params.id as never)) chunks.push(c as Buffer);
      } catch {
        throw errors.notFound('validation package');
      }
      ctx.set('content-type', 'application/pdf');
      ctx.set('content-disposition', 'attachment; filename="validation-package.pdf"');
      ctx.set('x-content-type-options', 'nosniff');
      ctx.set('cache-control', 'private, no-store');
      ctx.body = Buffer.concat(chunks);
      return undefined;
    },
  );
  return r;
}
