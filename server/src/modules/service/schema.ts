import { z } from 'zod';
import { IsoDate, optional, Quantity, RecordVersion } from '../../platform/fields.ts';
import { Bilingual, Credentials, Id, Text } from '../../platform/schemas.ts';
import { NewComplaintBody } from '../complaints/schema.ts';

// What the service routes accept (zod: typed and bounded; `{"$ne": null}` anywhere is a 400).
export const CreateServiceBody = z
  .object({
    /** The serviced device: the serialized unit's lot id. */
    lotId: Id,
    serviceDate: IsoDate,
    technician: Text(200).min(1),
    performed: Text(5000).min(1),
    testData: Text(5000).min(1),
  })
  .strict();
export type CreateService = z.infer<typeof CreateServiceBody>;

export const ServiceQuery = z.object({ state: optional(z.enum(['open', 'screened', 'completed'])) }).strict();

const Version = { version: optional(RecordVersion) };
// the complaint's own fields (complaints/schema.ts); device, lot and dates come from the service record
const C = NewComplaintBody.shape;
const ComplaintPart = z
  .object({
    complainant: C.complainant,
    nature: C.nature,
    country: C.country,
    failedSpecifications: C.failedSpecifications,
    usedForTreatmentOrDiagnosis: C.usedForTreatmentOrDiagnosis,
    relationship: C.relationship,
    codes: C.codes,
  })
  .strict();
export const ACTION_BODIES = {
  issue_part: z.object({ ...Version, lotId: Id, quantity: Quantity }).strict(),
  exchange: z.object({ ...Version, replacementLotId: Id }).strict(),
  screen: z.discriminatedUnion('possibleComplaint', [
    z.object({ ...Version, possibleComplaint: z.literal(true), complaint: ComplaintPart }).strict(),
    z.object({ ...Version, possibleComplaint: z.literal(false), reason: Bilingual }).strict(),
  ]),
  complete: z.object({ ...Credentials, ...Version, summary: Text(2000).min(1) }).strict(),
};
export type ServiceAction = keyof typeof ACTION_BODIES;
