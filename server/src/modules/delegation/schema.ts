import { z } from 'zod';
import { IsoDate } from '../../platform/fields.ts';
import { Id, Reason, msg } from '../../platform/schemas.ts';
import { ROLE_IDS } from '../../identity/roles.ts';
import { todayUtc } from '../../platform/dates.ts';

/** The longest delegation: about a quarter (a long leave is covered by reassigning, not delegating). */
export const MAX_DELEGATION_DAYS = 90;
const days = (a: string, b: string) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

export const CreateDelegationBody = z
  .object({
    delegateId: Id,
    from: IsoDate,
    to: IsoDate,
    roles: z.array(z.enum(ROLE_IDS)).min(1).max(10),
    reason: Reason.max(500),
  })
  .strict()
  .refine((b) => b.from >= todayUtc(), {
    path: ['from'],
    message: msg('the period cannot start in the past', '委托期间不能从过去开始'),
  })
  .refine((b) => b.to > b.from, { path: ['to'], message: msg('"to" must be after "from"', '结束日期必须晚于开始日期') })
  .refine((b) => days(b.from, b.to) <= MAX_DELEGATION_DAYS, {
    path: ['to'],
    message: msg(`at most ${MAX_DELEGATION_DAYS} days`, `最长 ${MAX_DELEGATION_DAYS} 天`),
  });
export type CreateDelegationInput = z.infer<typeof CreateDelegationBody>;

export const RevokeBody = z.object({ version: z.number().int().min(1).max(1_000_000_000).optional() }).strict();
