import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../../server/src/platform/services.ts';
import { route } from '../../server/src/platform/http/route.ts';
import { errors } from '../../server/src/platform/errors.ts';
import { currentLocale } from '../../server/src/platform/context.ts';
import { StreamParams, assertCanRead } from '../../server/src/ledger/routes.ts';
import { MEANINGS, manifestation } from '../manifestation.ts';
import { signThroughLifecycle } from '../../server/src/records/signThroughLifecycle.ts';
import { signaturesOf, verifySignature, verifyStreamSignatures, type SignatureCheck, type SignatureData } from './service.ts';
import type { LedgerEvent } from '../../server/src/ledger/event.ts';
import { RecordVersion } from '../../server/src/platform/fields.ts';

export const SignBody = z.object({
  meaning: z.enum(MEANINGS),
  password: z.string().min(1).max(200),
  totp: z.string().regex(/^\d{6}$/, 'six digits').optional(),
  version: RecordVersion,
  reason: z.string().trim().min(1).max(2000).optional(),
});

export const SignatureView = z.object({
  id: z.string(), meaning: z.string(), signer: z.object({ id: z.string(), name: z.string() }), at: z.string(),
  recordVersion: z.number(), contentHash: z.string(), manifestation: z.string(), valid: z.boolean(), problems: z.array(z.string()),
});

/** One signature as shown (11.50), with its verification; pass `check` when the whole stream was verified at once. */
export async function presentSignature(s: Services, e: LedgerEvent<SignatureData>, check?: SignatureCheck) {
  check ??= await verifySignature(s, e);
  const d = e.data;
  return { id: d.signatureId, meaning: d.meaning, signer: { id: d.signer.id, name: d.signer.name }, at: d.signedAt, recordVersion: d.recordVersion,
    contentHash: d.contentHash, reason: d.reason ?? null, manifestation: manifestation(d.signer.name, d.meaning, d.signedAt, currentLocale()), ...check };
}

export function signatureRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1/records' });
  route(r, { method: 'post', path: '/:stream/signatures', tag: 'signatures', summary: 'Sign a record version', access: 'records.read', status: 201, params: StreamParams, body: SignBody, response: SignatureView },
    async ({ params, body, user }, ctx) => {
      await assertCanRead(s, user, params.stream);
      const e = await signThroughLifecycle(s, user, params.stream, body);
      ctx.status = 201;
      return presentSignature(s, e);
    });
  route(r, { method: 'get', path: '/:stream/signatures', tag: 'signatures', summary: "A record's signatures, verified", access: 'records.read', params: StreamParams, response: z.array(SignatureView) },
    async ({ params, user }) => {
      await assertCanRead(s, user, params.stream);
      const events = await s.ledger.read(params.stream, undefined, { fresh: true });
      if (!events.length) throw errors.notFound('record'); // like the record itself, not an empty list
      const checks = await verifyStreamSignatures(s, params.stream, events);
      return Promise.all((await signaturesOf(s, params.stream, events)).map((e) => presentSignature(s, e, checks.get(e.data.signatureId))));
    });
  return r;
}
