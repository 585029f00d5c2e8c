import Router from '@koa/router';
import { z } from 'zod';
import type { Context } from 'koa';
import type { Services } from '../platform/services.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import { route } from '../platform/http/route.ts';
import { errors } from '../platform/errors.ts';
import { issueGrant, listGrants, openGrant, recordAccess, revokeGrant } from './grants.ts';
import { resolveScope } from './scope.ts';
import { auditTrail, portalPdf, recordView } from './view.ts';
import { buildEvidenceBundle, bundleFilename, serializeBundle } from './evidence.ts';
import {
  AuditLineView,
  GrantBody,
  GrantIdParams,
  GrantParams,
  GrantStreamParams,
  GrantView,
  RecordRefView,
  recordsQuery,
  RevokeBody,
} from './schema.ts';

// The auditor portal (21 CFR 11.10(b), (d), (e)). Administrators grant an auditor read access to
// a scope of finished devices for a date range; the auditor reads only through these routes, and
// every page that shows something is first put on the grant's ledger stream. Auditors can write
// nothing: route() refuses any unsafe method for read-only roles.
export function portalRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });

  route(
    r,
    {
      method: 'post',
      path: '/audit-grants',
      tag: 'portal',
      summary: 'Grant an auditor access',
      access: 'portal.grant',
      status: 201,
      body: GrantBody,
      response: GrantView,
    },
    async ({ body }, ctx) => {
      ctx.status = 201;
      return issueGrant(s, body);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/audit-grants',
      tag: 'portal',
      summary: 'List auditor grants',
      access: 'portal.grant',
      response: z.array(GrantView),
    },
    async () => listGrants(s),
  );
  route(
    r,
    {
      method: 'post',
      path: '/audit-grants/:id/revoke',
      tag: 'portal',
      summary: 'Revoke an auditor grant',
      access: 'portal.grant',
      params: GrantIdParams,
      body: RevokeBody,
      response: GrantView,
    },
    async ({ params, body }) => revokeGrant(s, params.id, body.reason),
  );

  route(
    r,
    {
      method: 'get',
      path: '/portal/grants',
      tag: 'portal',
      summary: 'My audit grants',
      access: 'portal.read',
      response: z.array(GrantView),
    },
    async ({ user }, ctx) => {
      const mine = await listGrants(s, user.id);
      for (const g of mine) await recordAccess(s, g.id, ctx.path);
      return mine;
    },
  );

  /** Opens the caller's active grant, resolves its scope, and (when `stream` is given) the record in it. */
  const within = async (user: SessionUser, grantId: string, stream?: string) => {
    const grant = await openGrant(s, user, grantId);
    const scope = await resolveScope(s, grant);
    // out of scope looks exactly like absent: an auditor learns nothing about other records
    const entry = stream === undefined ? undefined : scope.get(stream);
    if (stream !== undefined && !entry) throw errors.notFound('record');
    return { grant, scope, entry: entry! };
  };
  const seen = (grantId: string, ctx: Context, stream?: string) => recordAccess(s, grantId, ctx.path, stream);

  route(
    r,
    {
      method: 'get',
      path: '/portal/grants/:grantId/records',
      tag: 'portal',
      summary: 'Records in a grant’s scope',
      access: 'portal.read',
      params: GrantParams,
      query: recordsQuery(),
      response: z.array(RecordRefView),
    },
    async ({ params, query, user }, ctx) => {
      const { scope } = await within(user, params.grantId);
      const list = scope.list(query.type);
      await seen(params.grantId, ctx);
      return list;
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/portal/grants/:grantId/records/:stream',
      tag: 'portal',
      summary: 'One in-scope record with signatures and ledger check',
      access: 'portal.read',
      params: GrantStreamParams,
    },
    async ({ params, user }, ctx) => {
      const { entry } = await within(user, params.grantId, params.stream);
      const view = await recordView(s, entry);
      await seen(params.grantId, ctx, params.stream);
      return view;
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/portal/grants/:grantId/records/:stream/audit-trail',
      tag: 'portal',
      summary: 'Audit trail of an in-scope record',
      access: 'portal.read',
      params: GrantStreamParams,
      response: z.array(AuditLineView),
    },
    async ({ params, user }, ctx) => {
      const { entry } = await within(user, params.grantId, params.stream);
      const trail = await auditTrail(s, entry);
      await seen(params.grantId, ctx, params.stream);
      return trail;
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/portal/grants/:grantId/records/:stream/pdf',
      tag: 'portal',
      summary: 'Sealed PDF of an in-scope record (DHR, controlled copy or audit trail)',
      access: 'portal.read',
      params: GrantStreamParams,
      errors: [503],
    },
    async ({ params, user }, ctx) => {
      const { entry } = await within(user, params.grantId, params.stream);
      const pdf = await portalPdf(s, user, entry);
      await seen(params.grantId, ctx, params.stream);
      ctx.set('content-disposition', `attachment; filename="${pdf.filename}"`);
      ctx.type = 'application/pdf';
      ctx.body = pdf.pdf;
      return undefined;
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/portal/grants/:grantId/bundle',
      tag: 'portal',
      summary: 'Download the grant’s evidence bundle (verifies offline)',
      access: 'portal.read',
      params: GrantParams,
    },
    async ({ params, user }, ctx) => {
      const { grant } = await within(user, params.grantId);
      // logged first, so the bundle carries the record of its own download
      await seen(params.grantId, ctx);
      const bundle = await buildEvidenceBundle(s, user, grant);
      ctx.set('content-disposition', `attachment; filename="${bundleFilename(bundle)}"`);
      ctx.type = 'application/json';
      ctx.body = serializeBundle(bundle);
      return undefined;
    },
  );
  return r;
}
