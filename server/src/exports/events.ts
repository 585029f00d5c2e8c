import { z } from 'zod';
import { defineEvents } from '../records/events.ts';

// What can happen to an export (stream `export:<jobId>`): it is generated, once. The shape is the
// ledger's: a change here must still read every export ever recorded.
export const exportEvents = defineEvents('exports', {
  /** The sealed file's SHA-256, the record version and ledger head it was made from (21 CFR 11.10(b)); actor: who exported. */
  'export.generated': z.object({
    kind: z.string(),
    recordStream: z.string(),
    recordVersion: z.number(),
    headHash: z.string(),
    sha256: z.string(),
    pages: z.number(),
    filename: z.string(),
    locale: z.enum(['zh-CN', 'en-US']),
  }),
});
