import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// What can happen to a complaint (stream `complaint:<id>`). The shapes are the ledger's: a change
// here must still read every complaint ever written. Signed steps are proposed first (the values
// the signer vouches for) and completed by the proposer's e-signature (complaint.record.ts).
export const YES_NO_UNKNOWN = ['yes', 'no', 'unknown'] as const;
/** The reporter's view of the device's relationship to the event (MDR/MIR and NMPA forms ask it). */
export const RELATIONSHIPS = ['related', 'possibly_related', 'not_related', 'unknown'] as const;
export const SIGNED_STEPS = ['investigate', 'no_investigation', 'close'] as const;

const Codes = z.array(z.string());
const Udi = z.object({
  di: z.string().nullable(),
  lot: z.string().nullable(),
  serial: z.string().nullable(),
  expiryDate: z.string().nullable(),
  mfgDate: z.string().nullable(),
  /** The GS1 human-readable form: (01) DI, (17) expiry, (10) lot, (21) serial. */
  hri: z.string().nullable(),
});

export const complaintEvents = defineEvents('complaints', {
  /** The 820.35(a) record as received, with the device and its UDI looked up from the lot or serial. */
  'complaint.received': z.object({
    number: z.string(),
    device: z.object({ itemId: z.string(), partNumber: z.string(), name: BilingualView }),
    udi: Udi,
    lotId: z.string().nullable(),
    workOrderId: z.string().nullable(),
    receivedDate: z.string(),
    awarenessDate: z.string(),
    due: z.string(),
    complainant: z.object({ name: z.string(), address: z.string(), phone: z.string(), email: z.string() }),
    nature: z.string(),
    country: z.string(),
    failedSpecifications: z.enum(YES_NO_UNKNOWN),
    usedForTreatmentOrDiagnosis: z.enum(YES_NO_UNKNOWN),
    relationship: z.enum(RELATIONSHIPS),
    codes: z.object({ A: Codes, E: Codes, F: Codes, G: Codes }),
  }),
  /** Correction and reply to the complainant (820.35(a)), recorded as they happen. */
  'complaint.responseRecorded': z.object({
    correction: z.string().nullable(),
    reply: z.string().nullable(),
    replyDate: z.string().nullable(),
  }),
  'complaint.ncLinked': z.object({ ncId: z.string() }),
  'complaint.capaLinked': z.object({ capaId: z.string() }),
  /** A signed step proposed: its values wait for the proposer's signature. */
  'complaint.stepProposed': z.object({
    step: z.enum(SIGNED_STEPS),
    findings: z.string().nullable(),
    rationale: z.string().nullable(),
    date: z.string(),
    codes: z.object({ B: Codes, C: Codes, D: Codes, G: Codes }).nullable(),
  }),
  [SIGNATURE_EVENT]: SignatureEventData,
});
