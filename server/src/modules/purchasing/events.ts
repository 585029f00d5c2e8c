import { z } from 'zod';
import { defineEvents, SignatureEventData, SIGNATURE_EVENT } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// Everything that can happen to a purchase order or a requisition, as the ledger records it
// (the shapes are those of the events already on the ledger: old streams must replay).
const Line = z.object({
  lineNo: z.number(),
  itemId: z.string(),
  partNumber: z.string(),
  name: BilingualView,
  unit: z.string(),
  quantity: z.number(),
  unitPrice: z.number(),
  dueDate: z.string(),
});
const ReceiptLine = z.object({
  lineNo: z.number(),
  quantity: z.number(),
  lotIds: z.array(z.string()),
  lotNumber: z.string(),
  supplierLot: z.string(),
  mfgDate: z.string().nullable(),
  expiryDate: z.string().nullable(),
  coaRef: z.string().nullable(),
  serials: z.array(z.string()).nullable(),
  inspectionId: z.string(),
});

export const poEvents = defineEvents('purchasing', {
  'po.created': z.object({
    number: z.string(),
    supplier: z.object({ code: z.string(), name: BilingualView }),
    currency: z.string(),
    lines: z.array(Line),
    requisitionId: z.string().nullable(),
  }),
  'po.issued': z.object({ total: z.number(), threshold: z.number(), needsApproval: z.boolean() }),
  [SIGNATURE_EVENT]: SignatureEventData, // "approved": the approval of a PO above the threshold
  /** On issue at or under the threshold (automatic), or after the counted approval signature. */
  'po.approved': z.object({ signatureId: z.string().nullable(), automatic: z.boolean() }),
  'po.receiptRecorded': z.object({ receiptId: z.string(), location: z.string(), lines: z.array(ReceiptLine).min(1) }),
  'po.closed': z.object({}), // the reason is on the event
  'po.cancelled': z.object({}),
});

export const requisitionEvents = defineEvents('purchasing', {
  'requisition.created': z.object({
    number: z.string(),
    note: z.string(),
    lines: z.array(
      z.object({
        itemId: z.string(),
        partNumber: z.string(),
        name: BilingualView,
        quantity: z.number(),
        needBy: z.string(),
      }),
    ),
  }),
  'requisition.ordered': z.object({ poId: z.string(), poNumber: z.string() }),
  'requisition.cancelled': z.object({}), // the reason is on the event
});
