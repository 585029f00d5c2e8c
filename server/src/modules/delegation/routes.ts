import Router from '@koa/router';
import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { describeLifecycle } from '../../records/lifecycle.ts';
import { CreateDelegationBody, RevokeBody } from './schema.ts';
import { setDelegationResolver } from '../../records/command.ts';
import {
  createDelegation,
  delegationsOf,
  getDelegation,
  resolveDelegation,
  revokeDelegation,
} from './delegationService.ts';
import { presentDelegation } from './presenter.ts';
import { delegationLifecycle } from './delegation.lifecycle.ts';

export function delegationRoutes(s: Services) {
  setDelegationResolver(resolveDelegation); // signing on someone's behalf (records/command.ts)
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    {
      method: 'get',
      path: '/delegations',
      tag: 'delegation',
      summary: 'The delegations I gave or hold',
      access: 'authenticated',
    },
    async ({ user }) => (await delegationsOf(s, user.id)).map((d) => presentDelegation(d, user)),
  );
  route(
    r,
    {
      method: 'post',
      path: '/delegations',
      tag: 'delegation',
      summary: 'Delegate my tasks for a period [from, to] (at most 90 days, not in the past) to a holder of the roles',
      access: 'authenticated',
      body: CreateDelegationBody,
    },
    async ({ body, user }, ctx) => {
      const d = await createDelegation(s, user, body);
      ctx.status = 201;
      return presentDelegation(d, user);
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/delegations/:id',
      tag: 'delegation',
      summary: 'One delegation (its principal, its delegate, or an administrator)',
      access: 'authenticated',
      params: IdParams,
    },
    async ({ params, user }) => presentDelegation(await getDelegation(s, user, params.id), user),
  );
  route(
    r,
    {
      method: 'post',
      path: '/delegations/:id/revoke',
      tag: 'delegation',
      summary: 'Revoke a delegation before its end',
      access: 'authenticated',
      params: IdParams,
      body: RevokeBody,
    },
    async ({ params, body, user }) => presentDelegation(await revokeDelegation(s, user, params.id, body), user),
  );
  route(
    r,
    {
      method: 'get',
      path: '/lifecycles/delegation',
      tag: 'delegation',
      summary: 'The delegation lifecycle declaration',
      access: 'authenticated',
    },
    async () => describeLifecycle(delegationLifecycle),
  );
  return r;
}
