import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// What can happen to a training record (stream `training:<documentId>.<revision>.<userId>`).
// The shapes are the ledger's: a change here must still read every training ever written.
export const trainingEvents = defineEvents('training', {
  /** An effective revision the person must read (ISO 13485:2016 6.2 e), 21 CFR 820.25(b)). */
  'training.assigned': z.object({
    documentId: z.string(),
    number: z.string(),
    title: BilingualView,
    revision: z.string(),
    file: z.string().nullable(),
    user: z.object({ id: z.string(), name: z.string() }),
    due: z.string(),
  }),
  /**
   * The trainee opened (downloaded) the revision's content file: "read and understood" may only be
   * signed after it (issue 15 item 7; ISO 13485:2016 6.2 e) records of training). Unsigned, once.
   */
  'training.document_opened': z.object({ revision: z.string(), file: z.string().nullable() }),
  /**
   * Training completed before Provenant, taken over from the legacy register by a data migration
   * (issue 14 item 3; permission migration.run). Not a signature and claims none (21 CFR 11.50):
   * the legacy record is the evidence (ISO 13485:2016 6.2 e)); this names where it came from
   * (batch, file, sheet, row) and the original completion date.
   */
  'training.migrated': z.object({
    completedOn: z.string(),
    note: z.string(),
    source: z.object({ batch: z.string(), file: z.string(), sheet: z.string(), row: z.number(), sha256: z.string() }),
  }),
  // read_and_understood, by the trainee
  [SIGNATURE_EVENT]: SignatureEventData,
});
