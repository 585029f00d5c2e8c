import { ncLoop } from '../qualityLoop/loop.ts';
import Router from '@koa/router';
import type { ZodType } from 'zod';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { ncLifecycle } from './nc.lifecycle.ts';
import { presentNc } from './presenter.ts';
import { getNc, listNcs, ncAction, openNc } from './service.ts';
import {
  CloseBody,
  DisposeBody,
  LinkCapaBody,
  NcListQuery,
  NewNcBody,
  UseAsIsBody,
  VerifyReworkBody,
} from './schema.ts';

export function ncRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  // `/nonconformances` is the path incoming inspection's NCs have always been read at; `/ncs` is the module's own
  for (const base of ['/ncs', '/nonconformances']) {
    route(
      r,
      {
        method: 'get',
        path: base,
        tag: 'nc',
        summary: 'List nonconformances',
        access: 'records.read',
        query: NcListQuery,
      },
      async ({ query, user }) => (await listNcs(s, query)).map((n) => presentNc(n, user)),
    );
    route(
      r,
      {
        method: 'get',
        path: `${base}/:id`,
        tag: 'nc',
        summary: 'Get a nonconformance',
        access: 'records.read',
        params: IdParams,
      },
      async ({ params, user }) => {
        const n = await getNc(s, params.id);
        return { ...presentNc(n, user), loop: await ncLoop(s, n) };
      },
    );
  }
  route(
    r,
    {
      method: 'post',
      path: '/ncs',
      tag: 'nc',
      summary: 'Open a nonconformance (its affected lots are put on hold at once)',
      access: 'nc.open',
      body: NewNcBody,
      status: 201,
    },
    async ({ body, user }, ctx) => {
      const n = presentNc(await openNc(s, user, body), user);
      ctx.status = 201;
      return n;
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/nc',
      tag: 'nc',
      summary: 'The nonconformance lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(ncLifecycle),
  );
  // one route per NC action (nc.lifecycle.ts): parse, run the command, present
  const actions = [
    {
      path: 'use-as-is',
      action: 'use_as_is',
      summary: 'Concession: use a quantity as is (justification, e-signature "approved")',
      access: 'nc.concession',
      body: UseAsIsBody,
    },
    {
      path: 'dispose',
      action: 'dispose',
      summary: 'MRB disposition of a quantity: rework, return to supplier, scrap, regrade (e-signature "approved")',
      access: 'nc.disposition',
      body: DisposeBody,
    },
    {
      path: 'verify-rework',
      action: 'verify_rework',
      summary: 'Re-verify reworked product (e-signature "verified")',
      access: 'nc.disposition',
      body: VerifyReworkBody,
    },
    {
      path: 'link-capa',
      action: 'link_capa',
      summary: 'Link the CAPA this nonconformance raised',
      access: 'nc.disposition',
      body: LinkCapaBody,
    },
    {
      path: 'close',
      action: 'close',
      summary: 'Close the nonconformance (QA e-signature "approved")',
      access: 'nc.close',
      body: CloseBody,
    },
  ] as const;
  for (const a of actions) {
    route(
      r,
      {
        method: 'post',
        path: `/ncs/:id/${a.path}`,
        tag: 'nc',
        summary: a.summary,
        access: a.access,
        params: IdParams,
        body: a.body as ZodType<Record<string, unknown>>,
      },
      async ({ params, body, user }) => presentNc(await ncAction(s, user, params.id, a.action, body), user),
    );
  }
  return r;
}
