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
  // read_and_understood, by the trainee
  [SIGNATURE_EVENT]: SignatureEventData,
});
