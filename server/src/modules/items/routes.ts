import Router from '@koa/router';

import type { Services } from '../../platform/services.ts';
import { IdParams, route } from '../../platform/http/route.ts';
import { errors } from '../../platform/errors.ts';
import {
  createItem,
  createMaster,
  customers,
  getCustomer,
  getItem,
  getLocation,
  listItems,
  locations,
  reviseItem,
  setActive,
  updateMaster,
} from './service.ts';
import { presentCustomer, presentItem, presentLocation } from './presenter.ts';
import {
  ActiveBody,
  CodeParams,
  CreateCustomerBody,
  CreateItemBody,
  CreateLocationBody,
  ItemQuery,
  ReviseItemBody,
  UpdateCustomerBody,
  UpdateLocationBody,
} from './schema.ts';
import type { ItemFields } from './item.record.ts';

const NOTHING_TO_CHANGE = { en: 'nothing to change', zh: '没有要修改的内容' };

export function itemRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(
    r,
    { method: 'get', path: '/items', tag: 'items', summary: 'List items', access: 'records.read', query: ItemQuery },
    async ({ query }) => (await listItems(s, query)).map(presentItem),
  );
  route(
    r,
    {
      method: 'post',
      path: '/items',
      tag: 'items',
      summary: 'Create an item',
      access: 'masterdata.manage',
      status: 201,
      body: CreateItemBody,
    },
    async ({ body, user }, ctx) => {
      ctx.status = 201;
      return presentItem(await createItem(s, user, body));
    },
  );
  route(
    r,
    {
      method: 'get',
      path: '/items/:id',
      tag: 'items',
      summary: 'Get an item',
      access: 'records.read',
      params: IdParams,
    },
    async ({ params }) => presentItem(await getItem(s, params.id)),
  );
  route(
    r,
    {
      method: 'post',
      path: '/items/:id/revisions',
      tag: 'items',
      summary: 'Revise an item (next revision letter, with a reason)',
      access: 'masterdata.manage',
      params: IdParams,
      body: ReviseItemBody,
    },
    async ({ params, body, user }) =>
      presentItem(await reviseItem(s, user, params.id, body.version, body.reason, body.changes as Partial<ItemFields>)),
  );
  route(
    r,
    {
      method: 'post',
      path: '/items/:id/active',
      tag: 'items',
      summary: 'Deactivate or reactivate an item',
      access: 'masterdata.manage',
      params: IdParams,
      body: ActiveBody,
    },
    async ({ params, body, user }) => {
      await getItem(s, params.id);
      await setActive(s, user, 'item', params.id, body.active, body.reason);
      return presentItem(await getItem(s, params.id));
    },
  );

  route(
    r,
    { method: 'get', path: '/locations', tag: 'items', summary: 'List locations', access: 'records.read' },
    async () => (await locations(s).find({}).sort({ _id: 1 }).toArray()).map(presentLocation),
  );
  route(
    r,
    {
      method: 'post',
      path: '/locations',
      tag: 'items',
      summary: 'Create a location',
      access: 'inventory.manage',
      status: 201,
      body: CreateLocationBody,
    },
    async ({ body, user }, ctx) => {
      const { code, ...rest } = body;
      await createMaster(s, user, 'location', code, { ...rest, area: rest.area ?? '', bin: rest.bin ?? '' });
      ctx.status = 201;
      return presentLocation(await getLocation(s, code));
    },
  );
  route(
    r,
    {
      method: 'patch',
      path: '/locations/:code',
      tag: 'items',
      summary: 'Change a location',
      access: 'inventory.manage',
      params: CodeParams,
      body: UpdateLocationBody,
    },
    async ({ params, body, user }) => {
      const { reason, ...patch } = body;
      if (!Object.keys(patch).length) throw errors.validation('body', NOTHING_TO_CHANGE);
      await updateMaster(s, user, 'location', params.code, patch, reason);
      return presentLocation(await getLocation(s, params.code));
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/locations/:code/active',
      tag: 'items',
      summary: 'Deactivate or reactivate a location',
      access: 'inventory.manage',
      params: CodeParams,
      body: ActiveBody,
    },
    async ({ params, body, user }) => {
      await getLocation(s, params.code);
      await setActive(s, user, 'location', params.code, body.active, body.reason);
      return presentLocation(await getLocation(s, params.code));
    },
  );

  route(
    r,
    { method: 'get', path: '/customers', tag: 'items', summary: 'List customers', access: 'records.read' },
    async () => (await customers(s).find({}).sort({ _id: 1 }).toArray()).map(presentCustomer),
  );
  route(
    r,
    {
      method: 'post',
      path: '/customers',
      tag: 'items',
      summary: 'Create a customer',
      access: 'masterdata.manage',
      status: 201,
      body: CreateCustomerBody,
    },
    async ({ body, user }, ctx) => {
      const { code, ...rest } = body;
      await createMaster(s, user, 'customer', code, rest);
      ctx.status = 201;
      return presentCustomer(await getCustomer(s, code));
    },
  );
  route(
    r,
    {
      method: 'patch',
      path: '/customers/:code',
      tag: 'items',
      summary: 'Change a customer',
      access: 'masterdata.manage',
      params: CodeParams,
      body: UpdateCustomerBody,
    },
    async ({ params, body, user }) => {
      const { reason, ...patch } = body;
      if (!Object.keys(patch).length) throw errors.validation('body', NOTHING_TO_CHANGE);
      await updateMaster(s, user, 'customer', params.code, patch, reason);
      return presentCustomer(await getCustomer(s, params.code));
    },
  );
  route(
    r,
    {
      method: 'post',
      path: '/customers/:code/active',
      tag: 'items',
      summary: 'Deactivate or reactivate a customer',
      access: 'masterdata.manage',
      params: CodeParams,
      body: ActiveBody,
    },
    async ({ params, body, user }) => {
      await getCustomer(s, params.code);
      await setActive(s, user, 'customer', params.code, body.active, body.reason);
      return presentCustomer(await getCustomer(s, params.code));
    },
  );
  return r;
}
