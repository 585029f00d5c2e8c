import { z } from 'zod';
import { defineEvents } from '../records/events.ts';
import { BilingualView } from '../platform/schemas.ts';

// What can happen to an auditor's grant (stream `auditgrant:<id>`), one schema per event. The
// shapes are the ledger's: a change here must still read every grant ever written.
export const GrantScopeItemData = z.object({ id: z.string(), partNumber: z.string(), name: BilingualView });

export const grantEvents = defineEvents('portal', {
  /** By an administrator (the actor); the purpose is also the event's reason. */
  'grant.issued': z.object({
    auditor: z.object({ id: z.string(), name: z.string(), username: z.string() }),
    from: z.string(),
    to: z.string(),
    scope: z.object({ items: z.array(GrantScopeItemData) }),
    purpose: z.string(),
  }),
  'grant.revoked': z.object({ reason: z.string() }),
  /** One portal page the auditor (the actor) opened, and the record it showed. */
  'grant.accessed': z.object({ path: z.string(), stream: z.string().optional() }),
});
