import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';

// What can happen to a recall / field safety corrective action (stream `recall:<id>`; 21 CFR 806,
// EU MDR Art. 87(1)(b) and 89, NMPA 医疗器械召回管理办法 2017). Approval and closure are signed steps:
// their proposal (`recall.signingProposed`) completed by the proposer's e-signature over exactly
// that state (recall.record.ts). The shapes are the ledger's: a change here must still read every
// recall ever written.
export const RECALL_LEVELS = ['I', 'II', 'III'] as const;
export const RECALL_KINDS = ['correction', 'removal'] as const;
export const RECALL_JURISDICTIONS = ['US', 'EU', 'CN'] as const;
export const NOTIFY_METHODS = ['letter', 'email', 'courier', 'phone', 'visit'] as const;
export const DISPOSITIONS = ['returned', 'corrected', 'destroyed', 'not_found'] as const;
export const SIGNED_RECALL_ACTIONS = ['approve', 'close'] as const;

const Shipment = z.object({
  customer: z.string(),
  shipDate: z.string(),
  reference: z.string(),
  quantity: z.number(),
});
export const RecallUnit = z.object({
  lotId: z.string(),
  lotNumber: z.string(),
  serial: z.string().nullable(),
  item: z.object({ id: z.string(), partNumber: z.string(), unit: z.string() }),
  /** What the lot's own `lot.shipped` events say left the company, to whom (the forward end of the trace). */
  shipments: z.array(Shipment),
});
export type RecallUnitData = z.infer<typeof RecallUnit>;

export const recallEvents = defineEvents('recall', {
  'recall.opened': z.object({
    number: z.string(),
    title: z.string(),
    reason: z.string(),
    level: z.enum(RECALL_LEVELS),
    kind: z.enum(RECALL_KINDS),
    jurisdictions: z.array(z.enum(RECALL_JURISDICTIONS)),
    /** The day the correction or removal was initiated / the recall decided (the clocks start here). */
    initiatedOn: z.string(),
    urgent: z.boolean(),
    /** The lot the forward trace started from (null: the units were named by hand). */
    tracedFrom: z.string().nullable(),
    units: z.array(RecallUnit),
    customers: z.array(z.object({ code: z.string(), name: z.object({ zh: z.string(), en: z.string() }) })),
  }),
  'recall.notified': z.object({
    customer: z.string(),
    date: z.string(),
    method: z.enum(NOTIFY_METHODS),
    reference: z.string(),
  }),
  'recall.acknowledged': z.object({ customer: z.string(), date: z.string(), contact: z.string() }),
  'recall.dispositioned': z.object({
    lotId: z.string(),
    disposition: z.enum(DISPOSITIONS),
    quantity: z.number(),
    date: z.string(),
    note: z.string(),
  }),
  'recall.reported': z.object({ clock: z.string(), date: z.string(), reference: z.string() }),
  'recall.signingProposed': z.object({
    action: z.enum(SIGNED_RECALL_ACTIONS),
    data: z.object({ summary: z.string().optional() }),
  }),
  [SIGNATURE_EVENT]: SignatureEventData,
});
