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

// A list exported to Excel (stream `list-export:<id>`, lists.ts): which list, with which filter, how
// many rows and the file's SHA-256; actor: who exported (an auditor can ask who took what out).
export const listExportEvents = defineEvents('list-exports', {
  'export.list_generated': z.object({
    list: z.string(),
    filter: z.record(z.string(), z.string()),
    rows: z.number(),
    sha256: z.string(),
    filename: z.string(),
    locale: z.enum(['zh-CN', 'en-US']),
  }),
});
