import { z } from 'zod';
import { StreamParams } from '../ledger/routes.ts';
import { SCOPE_TYPES } from './scope.ts';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-12-01')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date');
const Id = z.string().min(1).max(100);

export const GrantBody = z.object({
  auditorId: Id, from: IsoDate, to: IsoDate,
  itemIds: z.array(Id).min(1, 'at least one finished device').max(50),
  purpose: z.string().trim().min(3).max(500),
}).strict();
export const RevokeBody = z.object({ reason: z.string().trim().min(3).max(500) }).strict();
export const GrantParams = z.object({ grantId: Id });
export const GrantIdParams = z.object({ id: Id });
export const GrantStreamParams = GrantParams.extend(StreamParams.shape);
export const RecordsQuery = z.object({ type: z.enum(SCOPE_TYPES).optional() });

const Bilingual = z.object({ zh: z.string(), en: z.string() });
export const GrantView = z.object({
  id: z.string(), stream: z.string(), auditor: z.object({ id: z.string(), name: z.string() }), from: z.string(), to: z.string(),
  scope: z.object({ items: z.array(z.object({ id: z.string(), partNumber: z.string(), name: Bilingual })) }), purpose: z.string(),
  status: z.enum(['active', 'expired', 'revoked', 'scheduled']), grantedBy: z.string(), grantedAt: z.string(),
  revoked: z.object({ by: z.string(), at: z.string(), reason: z.string() }).nullable(), ledgerVersion: z.number(),
});
export const RecordRefView = z.object({
  stream: z.string(), type: z.string(), id: z.string(), number: z.string(), title: z.union([Bilingual, z.string()]), state: z.string(), ledgerVersion: z.number(),
});
export const AuditLineView = z.object({ version: z.number(), at: z.string(), actor: z.string(), type: z.string(), reason: z.string().nullable(), hash: z.string() });
