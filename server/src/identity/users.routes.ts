import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../platform/services.ts';
import { IdParams, route } from '../platform/http/route.ts';
import { createUser, getUser, unlockUser, updateUser, usersCollection } from './userService.ts';
import { resetPassword } from './authService.ts';
import { presentUser } from './presenter.ts';
import { CreateUserBody, ResetPasswordBody, UpdateUserBody, UserView } from './schema.ts';
import { ROLES } from './roles.ts';
import { alertsFor } from './alerts.ts';

export function userRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  route(r, { method: 'get', path: '/users', tag: 'users', summary: 'List users', access: 'authenticated', response: z.array(UserView) },
    // every signed-in user may list names (to pick reviewers); only administrators change them
    async () => (await usersCollection(s).find({}).sort({ username: 1 }).toArray()).map((u) => presentUser(s, u)));
  route(r, { method: 'post', path: '/users', tag: 'users', summary: 'Create a user', access: 'users.manage', body: CreateUserBody, response: UserView },
    async ({ body }) => presentUser(s, await createUser(s, { ...body, temporary: true })));
  route(r, { method: 'get', path: '/users/:id', tag: 'users', summary: 'Get a user', access: 'authenticated', params: IdParams, response: UserView },
    async ({ params }) => presentUser(s, await getUser(s, params.id)));
  route(r, { method: 'patch', path: '/users/:id', tag: 'users', summary: 'Change a user', access: 'users.manage', params: IdParams, body: UpdateUserBody, response: UserView },
    async ({ params, body }) => presentUser(s, await updateUser(s, params.id, body)));
  route(r, { method: 'post', path: '/users/:id/unlock', tag: 'users', summary: 'Unlock a user', access: 'users.manage', params: IdParams, response: UserView },
    async ({ params }) => presentUser(s, await unlockUser(s, params.id)));
  route(r, { method: 'post', path: '/users/:id/reset-password', tag: 'users', summary: 'Set a temporary password', access: 'users.manage', params: IdParams, body: ResetPasswordBody, response: UserView },
    async ({ params, body }) => presentUser(s, await resetPassword(s, params.id, body.temporaryPassword)));
  route(r, { method: 'get', path: '/roles', tag: 'users', summary: 'List roles and their permissions', access: 'authenticated' },
    async () => ROLES);
  route(r, { method: 'get', path: '/alerts', tag: 'users', summary: 'Alerts for my roles', access: 'alerts.read' },
    async ({ user }) => alertsFor(s, user.roles));
  return r;
}
