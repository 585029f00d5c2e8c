import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../platform/services.ts';
import { route } from '../platform/http/route.ts';
import { errors } from '../platform/errors.ts';
import { hasPermission } from '../identity/roles.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { recordTypeOf } from '../records/registry.ts';
import { verifyStream } from './verify.ts';
import { verifyServerLedger } from './audit.ts';
import { buildBundle } from './bundle.ts';

// a checkpoint root (or hash) an auditor saved earlier: the report proves it is still in the chain
const VerifyQuery = z.object({
  expectRoot: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'a checkpoint root or hash: 64 hex digits')
    .optional(),
});
export const StreamParams = z.object({
  stream: z
    .string()
    .regex(/^[a-z_]+:[A-Za-z0-9._@-]+$/, 'a stream like document:<id>')
    .max(200),
});

/** Records are readable per their type's policy; streams without a type need ledger.verify. */
export async function assertCanRead(s: Services, user: SessionUser, stream: string) {
  const t = recordTypeOf(stream);
  if (!t) {
    if (!hasPermission(user, 'ledger.verify')) throw errors.forbidden('read this stream');
    return;
  }
  if (t.canRead) {
    const state = await s.projector.stateAt<object>(stream);
    if (!state) throw errors.notFound('record');
    if (!t.canRead(user, state)) throw errors.forbidden('read this record');
  }
}

export function ledgerRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/records/:stream/ledger',
      tag: 'ledger',
      summary: "A record's events with their verification status",
      access: 'ledger.read',
      params: StreamParams,
    },
    async ({ params, user }) => {
      await assertCanRead(s, user, params.stream);
      const events = await s.ledger.read(params.stream, undefined, { fresh: true }); // a check reads the store itself
      if (!events.length) throw errors.notFound('record');
      const { findings, status } = verifyStream(params.stream, events);
      const latest = await s.checkpointer.latest();
      return {
        stream: params.stream,
        valid: findings.length === 0,
        findings,
        checkpoint: latest ? { seq: latest.seq, at: latest.at, root: latest.root } : null,
        events: events.map((e) => ({ ...e, status: status.get(e.version) ?? 'ok' })),
      };
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/ledger/verify',
      tag: 'ledger',
      summary: 'Verify every chain, seal, checkpoint and signature, and every projection against its stream',
      access: 'ledger.verify',
      query: VerifyQuery,
    },
    async ({ query }) => verifyServerLedger(s, query.expectRoot),
  );
  route(
    r,
    { method: 'get', path: '/ledger/checkpoints', tag: 'ledger', summary: 'List checkpoints', access: 'ledger.verify' },
    async () => (await s.checkpointer.all()).map(({ changed, ...c }) => ({ ...c, changedStreams: changed.length })),
  );
  route(
    r,
    {
      method: 'post',
      path: '/ledger/checkpoints',
      tag: 'ledger',
      summary: 'Seal a checkpoint now',
      access: 'ledger.checkpoint',
      status: 201,
    },
    async (_i, ctx) => {
      ctx.status = 201;
      return (await s.checkpointer.create(true)) ?? (await s.checkpointer.latest());
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/ledger/export',
      tag: 'ledger',
      summary: 'Export the ledger as a bundle that verifies offline',
      access: 'ledger.export',
    },
    async (_i, ctx) => {
      const bundle = await buildBundle(s);
      ctx.set('content-disposition', `attachment; filename="provenant-ledger-${bundle.exportedAt.slice(0, 10)}.json"`);
      return bundle;
    },
  );
  return r;
}
