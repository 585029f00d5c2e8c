import { z } from 'zod';
import { defineEvents } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// What can happen to an incoming inspection (`inspection:<id>`), one schema per event (the
// nonconformance a rejection opens is modules/nc/'s). The shapes are the ledger's: a change here
// must still read every inspection ever written.
const Ref = z.object({ id: z.string(), number: z.string() });
const Plan = z.object({
  lotSize: z.number(),
  letter: z.string(),
  planLetter: z.string(),
  sampleSize: z.number(),
  ac: z.number(),
  re: z.number(),
  aql: z.number(),
  hundredPercent: z.boolean(),
});
const Characteristic = z.object({
  name: z.string(),
  unit: z.string(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
});
const Supplier = z.object({ code: z.string(), name: BilingualView }).nullable();
const Item = z.object({ id: z.string(), partNumber: z.string(), name: BilingualView });

export const inspectionEvents = defineEvents('inspection', {
  'inspection.created': z.object({
    number: z.string(),
    lotIds: z.array(z.string()),
    lotNumber: z.string(),
    item: Item.extend({ unit: z.string() }),
    supplier: Supplier,
    po: Ref.nullable(),
    receiptId: z.string().nullable(),
    lotSize: z.number(),
    plan: Plan,
    characteristics: z.array(Characteristic),
  }),
  /** Re-entry (a correction, with its reason on the event) keeps the earlier entry in the ledger. */
  'inspection.resultsRecorded': z.object({
    measurements: z.array(
      z.object({ characteristic: z.string(), values: z.array(z.number()), outOfSpec: z.array(z.number()) }),
    ),
    attributeDefectives: z.number(),
    defectives: z.number(),
    result: z.enum(['pass', 'fail']),
    notes: z.string(),
  }),
  /** The QA disposition, noted once the lots' signatures are given (the signatures are on the lots). */
  'inspection.dispositioned': z.object({
    decision: z.enum(['release', 'reject', 'conditional']),
    signatureIds: z.array(z.string()),
    ncId: z.string().nullable(),
  }),
});
