import { z } from 'zod';
import { defineEvents, SignatureEventData, SIGNATURE_EVENT } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// Everything that can happen to a supplier (`supplier:<code>`), as the ledger records it.
export const QUALIFICATION = ['pending', 'approved', 'conditional', 'disqualified'] as const;
export type Qualification = (typeof QUALIFICATION)[number];
export const EVIDENCE_KINDS = ['questionnaire', 'audit', 'certificate'] as const;
const Qualification = z.enum(QUALIFICATION);

export const supplierEvents = defineEvents('suppliers', {
  'supplier.created': z.object({ name: BilingualView, country: z.string(), contact: z.string(), address: z.string() }),
  'supplier.updated': z
    .object({ name: BilingualView, country: z.string(), contact: z.string(), address: z.string() })
    .partial(),
  /** A qualification decision proposed with its reason; the QA signature "approved" completes it. */
  'supplier.qualificationProposed': z.object({ status: Qualification, reason: z.string() }),
  [SIGNATURE_EVENT]: SignatureEventData,
  'supplier.qualificationChanged': z.object({ status: Qualification, reason: z.string(), signatureId: z.string() }),
  'supplier.evidenceAdded': z.object({
    id: z.string(),
    kind: z.enum(EVIDENCE_KINDS),
    title: z.string(),
    reference: z.string().nullable(),
    date: z.string(),
    expiryDate: z.string().nullable(),
    result: z.string(),
  }),
  'supplier.itemApproved': z.object({ itemId: z.string(), partNumber: z.string() }), // onto the approved supplier list (ASL)
  'supplier.itemRemoved': z.object({ itemId: z.string() }),
  'supplier.evaluated': z.object({
    id: z.string(),
    period: z.string(),
    quality: z.number(),
    delivery: z.number(),
    comment: z.string(),
  }),
});
