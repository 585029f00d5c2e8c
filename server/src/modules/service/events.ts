import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// What can happen to a service record (stream `service:<id>`), QMSR 820.35(b) (the 2024 QMSR keeps
// the content of former 21 CFR 820.200(d) there): the device and its UDI, the date, the technician,
// the service performed and the test data. The shapes are the ledger's.
export const serviceEvents = defineEvents('service', {
  'service.recorded': z.object({
    number: z.string(),
    device: z.object({ itemId: z.string(), partNumber: z.string(), name: BilingualView }),
    lotId: z.string(),
    serial: z.string(),
    udi: z.object({ di: z.string().nullable(), hri: z.string() }),
    customer: z.string(),
    serviceDate: z.string(),
    technician: z.string(),
    performed: z.string(),
    testData: z.string(),
    shipDate: z.string(),
    warrantyMonths: z.number(),
    warrantyEnd: z.string(),
    inWarranty: z.boolean(),
  }),
  'service.partIssued': z.object({
    lotId: z.string(),
    lotNumber: z.string(),
    partNumber: z.string(),
    quantity: z.number(),
  }),
  'service.exchanged': z.object({
    faultySerial: z.string(),
    replacementLotId: z.string(),
    replacementSerial: z.string(),
  }),
  /** 21 CFR 820.198 / QMSR 820.35: every service record is screened as a possible complaint. */
  'service.screened': z.object({
    possibleComplaint: z.boolean(),
    reason: BilingualView.nullable(),
  }),
  'service.complaintLinked': z.object({ complaintId: z.string(), number: z.string() }),
  'service.completionProposed': z.object({ summary: z.string() }),
  [SIGNATURE_EVENT]: SignatureEventData,
});
