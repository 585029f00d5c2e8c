import { request } from './request';
import type { ApiToken, Session, User } from './types';

export interface LoginInput {
  username: string;
  password: string;
  totp?: string;
}

export const authApi = {
  login: (input: LoginInput) =>
    request<Session>('/auth/login', {
      method: 'POST',
      body: input,
      noAuthRedirect: true,
      quietCodes: ['TOTP_REQUIRED'],
    }),
  me: () => request<Session>('/auth/me', { noAuthRedirect: true, silent: true }),
  logout: () => request<void>('/auth/logout', { method: 'POST', noAuthRedirect: true }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>('/auth/password', { method: 'POST', body: { currentPassword, newPassword } }),
  /** Starting needs the password (and the current code when an authenticator is already enrolled). */
  enrollTotp: (password: string, code?: string) =>
    request<{ secret: string; otpauthUrl: string }>('/auth/totp/enroll', {
      method: 'POST',
      body: { password, ...(code ? { code } : {}) },
    }),
  confirmTotp: (code: string) => request<{ user: User }>('/auth/totp/confirm', { method: 'POST', body: { code } }),
  listTokens: () => request<ApiToken[]>('/auth/tokens'),
  createToken: (name: string) =>
    request<{ id: string; name: string; token: string }>('/auth/tokens', { method: 'POST', body: { name } }),
  revokeToken: (id: string) => request<void>(`/auth/tokens/${encodeURIComponent(id)}/revoke`, { method: 'POST' }),
};
