import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// What can happen to a return (RMA, stream `rma:<id>`). The shapes are the ledger's: a change
// here must still read every return ever written.
export const RMA_DECISIONS = ['restock', 'rework', 'scrap', 'return_to_supplier'] as const;
export type RmaDecision = (typeof RMA_DECISIONS)[number];

export const rmaEvents = defineEvents('returns', {
  'rma.opened': z.object({
    number: z.string(),
    lot: z.object({
      id: z.string(),
      lotNumber: z.string(),
      serial: z.string().nullable(),
      kind: z.enum(['lot', 'serial']),
      item: z.object({ id: z.string(), partNumber: z.string(), name: BilingualView, unit: z.string() }),
    }),
    customer: z.string(),
    quantity: z.number(),
    shipDate: z.string().nullable(),
    warrantyEnd: z.string().nullable(),
    /** What the customer says is wrong (their words). */
    customerReason: z.string(),
  }),
  'rma.received': z.object({ location: z.string() }),
  'rma.inspected': z.object({ findings: z.string(), conforming: z.boolean() }),
  /** The decision the signer's e-signature ("approved") completes. */
  'rma.decisionProposed': z.object({ decision: z.enum(RMA_DECISIONS), reason: z.string() }),
  [SIGNATURE_EVENT]: SignatureEventData,
});
