import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// What can happen to a lot or serialized unit (stream `lot:<id>`), one schema per event. The
// shapes are the ledger's: a change here must still read every lot ever written.
export const DECISIONS = ['release', 'reject', 'conditional', 'release_hold', 'scrap'] as const;
export type Decision = (typeof DECISIONS)[number];

const Source = z.string().nullable();
const Ref = z.object({ id: z.string(), number: z.string() });
const Created = z.object({
  item: z.object({
    id: z.string(),
    partNumber: z.string(),
    name: BilingualView,
    unit: z.string(),
    control: z.string(),
  }),
  lotNumber: z.string(),
  kind: z.enum(['lot', 'serial']),
  serial: z.string().nullable().optional(),
  quantity: z.number(),
  location: z.string(),
  /** A test factory or a migration may create a lot in another status; receipts and production create it in quarantine. */
  status: z.string().optional(),
  supplier: z.object({ code: z.string(), name: BilingualView }).nullable().optional(),
  supplierLot: z.string().nullable().optional(),
  po: Ref.nullable().optional(),
  receiptId: z.string().nullable().optional(),
  inspectionId: z.string().nullable().optional(),
  mfgDate: z.string().nullable().optional(),
  expiryDate: z.string().nullable().optional(),
  coaRef: z.string().nullable().optional(),
  source: Source.optional(),
  workOrderId: z.string().nullable().optional(),
});
const Signed = z.object({ signatureId: z.string() });

export const lotEvents = defineEvents('inventory', {
  'lot.received': Created,
  'lot.produced': Created,
  'lot.moved': z.object({ from: z.string(), to: z.string(), quantity: z.number(), source: Source }),
  /** reason on the event */
  'lot.adjusted': z.object({ location: z.string(), delta: z.number(), source: Source, counted: z.number().optional() }),
  'lot.issued': z.object({ location: z.string(), quantity: z.number(), workOrder: z.string(), source: z.string() }),
  'lot.inspected': z.object({
    inspectionId: z.string(),
    result: z.enum(['pass', 'fail']),
    defectives: z.number(),
    sampleSize: z.number(),
    inspector: z.object({ id: z.string(), name: z.string() }),
  }),
  /** A QA decision the signer's e-signature completes (the signature binds the lot with it). */
  'lot.decisionProposed': z.object({
    decision: z.enum(DECISIONS),
    reason: z.string(),
    inspectionId: z.string().optional(),
    ncId: z.string().optional(),
    quantity: z.number().optional(),
    location: z.string().optional(),
  }),
  // released | rejected | approved: completes the proposal
  [SIGNATURE_EVENT]: SignatureEventData,
  'lot.released': Signed,
  'lot.rejected': Signed.extend({ ncId: z.string().nullable() }),
  'lot.conditionallyReleased': Signed,
  'lot.holdReleased': Signed,
  'lot.scrapped': Signed.extend({ quantity: z.number(), location: z.string() }),
  /** Produced output released with its DHR (signature: the order's QA release, on the work order's stream). */
  'lot.releasedByDhr': z.object({
    workOrder: z.string(),
    workOrderId: z.string(),
    signatureId: z.string(),
    signature: SignatureEventData.optional(),
  }),
  /** reason on the event */
  'lot.held': z.object({ source: Source }),
  /** system actor */
  'lot.expired': z.object({ expiryDate: z.string().nullable() }),
  'lot.shipped': z.object({
    customer: z.string(),
    shipDate: z.string(),
    warrantyEnd: z.string().nullable(),
    reference: z.string(),
    /** A part of a lot-controlled lot shipped by a sales order (absent: the whole unit or lot). */
    quantity: z.number().optional(),
    location: z.string().optional(),
    salesOrderId: z.string().optional(),
    shipmentId: z.string().optional(),
  }),
  /** A shipped unit or quantity received back from its customer on a return (modules/returns): held until the return is decided. */
  'lot.returned': z.object({
    rmaId: z.string(),
    rma: z.string(),
    customer: z.string(),
    quantity: z.number(),
    location: z.string(),
  }),
});
