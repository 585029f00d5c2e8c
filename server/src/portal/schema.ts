import { z } from 'zod';
import { StreamParams } from '../ledger/routes.ts';
import { IsoDate } from '../platform/fields.ts';
import { BilingualView, Id, msg } from '../platform/schemas.ts';
import { scopeTypes } from './scope.ts';

export const GrantBody = z
  .object({
    auditorId: Id,
    from: IsoDate,
    to: IsoDate,
    itemIds: z.array(Id).min(1, msg('at least one finished device', '至少选择一个成品器械')).max(50),
    purpose: z.string().trim().min(3).max(500),
  })
  .strict();
export const RevokeBody = z.object({ reason: z.string().trim().min(3).max(500) }).strict();
export const GrantParams = z.object({ grantId: Id });
export const GrantIdParams = z.object({ id: Id });
export const GrantStreamParams = GrantParams.extend(StreamParams.shape);
/** Built when the routes are, after the modules registered their scope types (records/contributions.ts). */
export const recordsQuery = () => z.object({ type: z.enum(scopeTypes() as [string, ...string[]]).optional() });

export const GrantView = z.object({
  id: z.string(),
  stream: z.string(),
  auditor: z.object({ id: z.string(), name: z.string() }),
  from: z.string(),
  to: z.string(),
  scope: z.object({ items: z.array(z.object({ id: z.string(), partNumber: z.string(), name: BilingualView })) }),
  purpose: z.string(),
  status: z.enum(['active', 'expired', 'revoked', 'scheduled']),
  grantedBy: z.string(),
  grantedAt: z.string(),
  revoked: z.object({ by: z.string(), at: z.string(), reason: z.string() }).nullable(),
  ledgerVersion: z.number(),
});
export const RecordRefView = z.object({
  stream: z.string(),
  type: z.string(),
  id: z.string(),
  number: z.string(),
  title: z.union([BilingualView, z.string()]),
  state: z.string(),
  ledgerVersion: z.number(),
});
export const AuditLineView = z.object({
  version: z.number(),
  at: z.string(),
  actor: z.string(),
  type: z.string(),
  reason: z.string().nullable(),
  hash: z.string(),
});
