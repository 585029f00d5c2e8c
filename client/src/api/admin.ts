import { request } from './request';
import type { Health, NumberingScheme, Role, User } from './types';

export interface NewUser {
  username: string;
  fullName: string;
  email: string;
  roles: string[];
  password: string;
}
export type UserPatch = Partial<Pick<User, 'fullName' | 'email' | 'roles' | 'status'>>;

export const adminApi = {
  listUsers: (quiet = false) => request<User[]>('/users', { quietCodes: quiet ? ['FORBIDDEN'] : [] }),
  createUser: (input: NewUser) => request<User>('/users', { method: 'POST', body: input }),
  updateUser: (id: string, patch: UserPatch) =>
    request<User>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch }),
  unlockUser: (id: string) => request<User>(`/users/${encodeURIComponent(id)}/unlock`, { method: 'POST' }),
  /** Removes another user's authenticator (a lost phone), with a reason for the ledger. */
  resetTotp: (id: string, reason: string) =>
    request<User>(`/users/${encodeURIComponent(id)}/totp/reset`, { method: 'POST', body: { reason } }),
  listRoles: () => request<Role[]>('/roles'),
  listNumberingSchemes: () => request<NumberingScheme[]>('/numbering-schemes'),
  updateNumberingScheme: (type: string, pattern: string) =>
    request<NumberingScheme>(`/numbering-schemes/${encodeURIComponent(type)}`, { method: 'PUT', body: { pattern } }),
  health: () => request<Health>('/health'),
};
