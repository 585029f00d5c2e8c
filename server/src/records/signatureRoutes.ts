import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../platform/services.ts';
import { route } from '../platform/http/route.ts';
import { errors } from '../platform/errors.ts';
import { RecordVersion } from '../platform/fields.ts';
import { Credentials, Id, Reason } from '../platform/schemas.ts';
import { StreamParams, assertCanRead } from '../ledger/routes.ts';
import { MEANINGS } from '../../../signatures/manifestation.ts';
import { SignatureView } from '../../../signatures/esign/presenter.ts';
import { signThroughLifecycle } from './signThroughLifecycle.ts';
import { presentSignature, signaturesOf, verifyStreamSignatures } from './signing.ts';

// The generic signature endpoints of every record: sign a version by meaning (it ends in the
// record's command path), and list a record's signatures, verified.
export const SignBody = z.object({
  meaning: z.enum(MEANINGS),
  ...Credentials,
  version: RecordVersion,
  reason: Reason.optional(),
  /** Sign as a delegate for this person (an active delegation from them is needed): issue 15 item 6. */
  onBehalfOf: Id.optional(),
});

export function signatureRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1/records' });
  route(
    r,
    {
      method: 'post',
      path: '/:stream/signatures',
      tag: 'signatures',
      summary: 'Sign a record version',
      access: 'records.read',
      status: 201,
      params: StreamParams,
      body: SignBody,
      response: SignatureView,
    },
    async ({ params, body, user }, ctx) => {
      await assertCanRead(s, user, params.stream);
      const e = await signThroughLifecycle(s, user, params.stream, body);
      ctx.status = 201;
      return presentSignature(s, e);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/:stream/signatures',
      tag: 'signatures',
      summary: "A record's signatures, verified",
      access: 'records.read',
      params: StreamParams,
      response: z.array(SignatureView),
    },
    async ({ params, user }) => {
      await assertCanRead(s, user, params.stream);
      const events = await s.ledger.read(params.stream, undefined, { fresh: true });
      if (!events.length) throw errors.notFound('record'); // like the record itself, not an empty list
      const checks = await verifyStreamSignatures(s, params.stream, events);
      return Promise.all(
        (await signaturesOf(s, params.stream, events)).map((e) =>
          presentSignature(s, e, checks.get(e.data.signatureId)),
        ),
      );
    },
  );
  return r;
}
