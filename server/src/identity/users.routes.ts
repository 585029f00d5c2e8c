import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../platform/services.ts';
import { IdParams, route } from '../platform/http/route.ts';
import { createUser, getUser, unlockUser, updateUser, usersCollection, type UserDoc } from './userService.ts';
import { resetPassword } from './authService.ts';
import { resetTotp } from './totpEnrolment.ts';
import { presentDirectoryEntry, presentUser } from './presenter.ts';
import {
  CreateUserBody,
  DirectoryEntryView,
  ResetPasswordBody,
  TotpResetBody,
  UpdateUserBody,
  UserView,
} from './schema.ts';
import { hasPermission, ROLES } from './roles.ts';
import type { SessionUser } from './sessionUser.ts';
import { alertsFor } from './alerts.ts';

export function userRoutes(s: Services) {
  const r = new Router({ prefix: '/api/v1' });
  // Staff list names to pick reviewers and trainees; the account details (e-mail, second factor,
  // last sign-in) are for administrators and the account's owner. Auditors are refused: they
  // read only what a grant scopes, through the portal, which names the signers it shows.
  const asSeenBy = (viewer: SessionUser) => (u: UserDoc) =>
    hasPermission(viewer, 'users.manage') || viewer.id === u._id ? presentUser(s, u) : presentDirectoryEntry(u);
  route(
    r,
    {
      method: 'get',
      path: '/users',
      tag: 'users',
      summary: 'List users',
      access: 'records.read',
      response: z.array(z.union([UserView, DirectoryEntryView])),
    },
    async ({ user }) => (await usersCollection(s).find({}).sort({ username: 1 }).toArray()).map(asSeenBy(user)),
  );
  route(
    r,
    {
      method: 'post',
      path: '/users',
      tag: 'users',
      summary: 'Create a user',
      access: 'users.manage',
      body: CreateUserBody,
      response: UserView,
    },
    async ({ body }) => presentUser(s, await createUser(s, { ...body, temporary: true })),
  );
  route(
    r,
    {
      method: 'get',
      path: '/users/:id',
      tag: 'users',
      summary: 'Get a user',
      access: 'records.read',
      params: IdParams,
      response: z.union([UserView, DirectoryEntryView]),
    },
    async ({ params, user }) => asSeenBy(user)(await getUser(s, params.id)),
  );
  route(
    r,
    {
      method: 'patch',
      path: '/users/:id',
      tag: 'users',
      summary: 'Change a user (not one’s own roles or status; never the last administrator)',
      access: 'users.manage',
      params: IdParams,
      body: UpdateUserBody,
      response: UserView,
    },
    async ({ params, body, user }) => presentUser(s, await updateUser(s, user.id, params.id, body)),
  );
  route(
    r,
    {
      method: 'post',
      path: '/users/:id/unlock',
      tag: 'users',
      summary: 'Unlock a user',
      access: 'users.manage',
      params: IdParams,
      response: UserView,
    },
    async ({ params }) => presentUser(s, await unlockUser(s, params.id)),
  );
  route(
    r,
    {
      method: 'post',
      path: '/users/:id/reset-password',
      tag: 'users',
      summary: 'Set a temporary password',
      access: 'users.manage',
      params: IdParams,
      body: ResetPasswordBody,
      response: UserView,
    },
    async ({ params, body, user }) =>
      presentUser(s, await resetPassword(s, user.id, params.id, body.temporaryPassword)),
  );
  route(
    r,
    {
      method: 'post',
      path: '/users/:id/totp/reset',
      tag: 'users',
      summary: 'Remove another user’s authenticator (they enrol again)',
      access: 'users.manage',
      params: IdParams,
      body: TotpResetBody,
      response: UserView,
    },
    async ({ params, body, user }) => presentUser(s, await resetTotp(s, user.id, params.id, body.reason)),
  );
  route(
    r,
    {
      method: 'get',
      path: '/roles',
      tag: 'users',
      summary: 'List roles and their permissions',
      access: 'authenticated',
    },
    async () => ROLES,
  );
  route(
    r,
    { method: 'get', path: '/alerts', tag: 'users', summary: 'Alerts for my roles', access: 'alerts.read' },
    async ({ user }) => alertsFor(s, user.roles),
  );
  return r;
}
