import { z } from 'zod';
import { ROLE_IDS } from './roles.ts';
import { msg, Password, TotpCode } from '../platform/schemas.ts';

export const LoginBody = z.object({
  username: z.string().min(1).max(100),
  password: Password,
  // a sign-in is not a signing (no Credentials): a blank code is refused, as before
  totp: TotpCode.optional(),
});
export const PasswordChangeBody = z.object({ currentPassword: Password, newPassword: Password });
export const TotpConfirmBody = z.object({ code: TotpCode });
export const TotpEnrolBody = z.object({ password: Password, code: TotpCode.optional() });
export const TotpResetBody = z.object({ reason: z.string().trim().min(1).max(500) });
export const TokenBody = z.object({ name: z.string().trim().min(1).max(80) });
export const TokenParams = z.object({ id: z.string().uuid() });

const Username = z
  .string()
  .trim()
  .min(3)
  .max(40)
  .regex(
    /^[a-zA-Z0-9._-]+$/,
    msg('letters, digits, dot, dash and underscore only', '只能包含字母、数字、点、短横线和下划线'),
  );
const Roles = z.array(z.enum(ROLE_IDS)).min(1).max(10);
export const CreateUserBody = z.object({
  username: Username,
  fullName: z.string().trim().min(1).max(100),
  email: z.string().trim().email().max(200),
  roles: Roles,
  password: Password,
});
export const UpdateUserBody = z
  .object({
    fullName: z.string().trim().min(1).max(100).optional(),
    email: z.string().trim().email().max(200).optional(),
    roles: Roles.optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, msg('nothing to change', '没有要修改的内容'));
export const ResetPasswordBody = z.object({ temporaryPassword: Password });

export const UserView = z.object({
  id: z.string(),
  username: z.string(),
  fullName: z.string(),
  email: z.string(),
  roles: z.array(z.string()),
  status: z.enum(['active', 'locked', 'disabled']),
  totpEnrolled: z.boolean(),
  mustChangePassword: z.boolean(),
  passwordExpiresAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export const DirectoryEntryView = UserView.pick({
  id: true,
  username: true,
  fullName: true,
  roles: true,
  status: true,
});
export const SessionView = z.object({ user: UserView, csrfToken: z.string().optional() });
