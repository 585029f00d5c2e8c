import { z } from 'zod';
import { defineEvents } from '../../records/events.ts';

const Person = z.object({ id: z.string(), name: z.string() });

// What can happen to a delegation (stream `delegation:<id>`). The shapes are the ledger's.
export const delegationEvents = defineEvents('delegation', {
  /** A user hands their tasks to another for [from, to] (inclusive days, UTC); `roles`: what the delegate holds for them. */
  'delegation.created': z.object({
    principal: Person,
    delegate: Person,
    from: z.string(),
    to: z.string(),
    roles: z.array(z.string()),
    reason: z.string(),
  }),
  /** The principal (or an administrator) ends it early. */
  'delegation.revoked': z.object({ by: Person }),
});
