import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { route } from '../../platform/http/route.ts';
import { getBlob, putBlob } from '../documents/contentStore.ts';
import { readUpload } from '../documents/upload.ts';
import { isRace } from '../../records/ledgerOps.ts';
import { asUser } from '../../records/command.ts';

// Certificates of analysis: the supplier's PDF, uploaded at receipt into the content store and
// referenced from the lot as `sha256:<hex>` (the DHR export merges it). The first upload of a
// file is an event on `certificate:<sha256>`, so who brought which certificate in is on the ledger.
export const certificateRef = (sha256: string) => `sha256:${sha256}`;
/** The SHA-256 a `sha256:<hex>` reference names, or null for a free-text reference. */
export const certificateSha = (ref: string | null | undefined) =>
  /^sha256:([0-9a-f]{64})$/.exec(ref ?? '')?.[1] ?? null;
const Sha = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex') });

export async function uploadCertificate(
  s: Services,
  user: SessionUser,
  file: { name: string; bytes: Buffer; mime: string },
) {
  if (file.mime !== 'application/pdf') throw new AppError('UNSUPPORTED_MEDIA_TYPE', { type: file.mime });
  const sha256 = await putBlob(s, file.bytes);
  try {
    await asUser(user, () =>
      s.ledger.append(
        `certificate:${sha256}`,
        'certificate.uploaded',
        { name: file.name, size: file.bytes.length },
        { expectedVersion: 0 },
      ),
    );
  } catch (err) {
    if (!isRace(err)) throw err; // the same file came in before: it is already on the ledger
  }
  return { ref: certificateRef(sha256), sha256, name: file.name, size: file.bytes.length };
}

export function certificateRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'post',
      path: '/certificates',
      tag: 'purchasing',
      summary:
        'Upload a certificate of analysis (PDF, multipart field "file"); returns the reference for a receipt line',
      access: 'purchasing.receive',
      upload: true,
      status: 201,
    },
    async ({ user }, ctx) => {
      const out = await uploadCertificate(s, user, await readUpload(ctx));
      ctx.status = 201;
      return out;
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/certificates/:sha256',
      tag: 'purchasing',
      summary: 'A certificate of analysis as stored',
      access: 'records.read',
      params: Sha,
    },
    async ({ params }, ctx) => {
      if (!(await s.ledger.head(`certificate:${params.sha256}`))) throw errors.notFound('certificate');
      ctx.set('content-type', 'application/pdf');
      ctx.set('content-disposition', `inline; filename="coa-${params.sha256.slice(0, 12)}.pdf"`);
      ctx.set('x-content-type-options', 'nosniff');
      ctx.body = await getBlob(s, params.sha256);
      return undefined;
    },
  );
  return r;
}
