import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// What can happen to a nonconformance (`nc:<id>`), one schema per event. The shapes are the
// ledger's: `nc.opened` is the event an incoming-inspection rejection has always written (its
// fields unchanged; everything added since is optional), so every NC ever written still reads.

export const NC_SOURCE_KINDS = [
  'incoming_inspection',
  'production',
  'complaint',
  'internal_audit',
  'supplier',
  'customer_return',
] as const;
export const DETECTION_POINTS = [
  'incoming',
  'in_process',
  'final',
  'storage',
  'customer',
  'audit',
  'supplier',
] as const;
/** MRB dispositions (ISO 13485:2016 8.3.2–8.3.4): a concession, rework, return to the supplier, scrap, regrade. */
export const DISPOSITIONS = ['use_as_is', 'rework', 'return_to_supplier', 'scrap', 'regrade'] as const;

export const NcSource = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('incoming_inspection'),
    lotId: z.string(),
    lotNumber: z.string(),
    inspectionId: z.string(),
  }),
  z.object({
    kind: z.literal('production'),
    workOrderId: z.string(),
    workOrderNumber: z.string(),
    deviationId: z.string(),
    deviationNumber: z.string(),
  }),
  z.object({ kind: z.literal('complaint'), complaintId: z.string() }),
  z.object({ kind: z.literal('internal_audit'), reference: z.string() }),
  z.object({ kind: z.literal('supplier'), supplierCode: z.string() }),
  z.object({ kind: z.literal('customer_return'), customerCode: z.string(), reference: z.string().nullable() }),
]);
const Item = z.object({ id: z.string(), partNumber: z.string(), name: BilingualView });
const AffectedLot = z.object({
  lotId: z.string(),
  lotNumber: z.string(),
  serial: z.string().nullable(),
  quantity: z.number(),
  unit: z.string(),
});
const Disposition = z.object({
  id: z.string(),
  lotId: z.string(),
  decision: z.enum(DISPOSITIONS),
  quantity: z.number(),
  /** A concession's justification, or the MRB's note for the other dispositions. */
  justification: z.string(),
  location: z.string().nullable(),
});

export const ncEvents = defineEvents('nc', {
  'nc.opened': z.object({
    number: z.string(),
    source: NcSource,
    item: Item,
    supplier: z.object({ code: z.string(), name: BilingualView }).nullable(),
    description: z.string(),
    lots: z.array(AffectedLot).optional(),
    detectionPoint: z.enum(DETECTION_POINTS).optional(),
    containment: z.string().optional(),
  }),
  /** A signed step proposed: the proposer's own signature over exactly this state completes it. */
  'nc.proposed': z.object({
    action: z.enum(['use_as_is', 'dispose', 'verify_rework', 'close']),
    disposition: Disposition.optional(),
    dispositionId: z.string().optional(),
    note: z.string(),
  }),
  /** The CAPA this NC raised (ISO 13485 8.5.2), linked once the CAPA exists. */
  'nc.capaLinked': z.object({ capaId: z.string() }),
  // approved (a disposition, the closure), verified (re-verification after rework)
  [SIGNATURE_EVENT]: SignatureEventData,
});
