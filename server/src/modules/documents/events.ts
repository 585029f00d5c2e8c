import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';
import { DOCUMENT_TYPES } from './documentTypes.ts';

// What can happen to a controlled document (stream `document:<id>`), one schema per event. The
// shapes are the ledger's: a change here must still read every document ever written.
const Person = z.object({ id: z.string(), name: z.string() });
const StoredFile = z.object({ sha256: z.string(), name: z.string(), size: z.number(), mime: z.string() });
const Revision = z.string().regex(/^[A-Z]+$/);

export const documentEvents = defineEvents('documents', {
  'document.created': z.object({
    number: z.string(),
    type: z.enum(DOCUMENT_TYPES),
    title: BilingualView,
    summary: BilingualView,
    owner: Person,
    department: z.string(),
    reviewers: z.array(Person),
    approvers: z.array(Person),
    trainees: z.object({ roles: z.array(z.string()), users: z.array(z.string()) }),
    reviewIntervalMonths: z.number(),
  }),
  'document.contentUploaded': z.object({ revision: Revision, file: StoredFile }),
  'document.submitted': z.object({
    revision: Revision,
    effectiveDate: z.string().nullable(),
    historical: z.literal(true).optional(),
    /** The open change request (ISO 13485:2016 7.3.9) that makes this revision effective. */
    heldBy: z.string().optional(),
  }),
  // reviewed | rejected | approved | obsoleted | reviewed_no_change
  [SIGNATURE_EVENT]: SignatureEventData,
  /** Every named reviewer signed "reviewed". */
  'document.reviewCompleted': z.object({ revision: Revision }),
  /** A reviewer rejected: the next iteration starts. */
  'document.returnedToDraft': z.object({ revision: Revision, iteration: z.number() }),
  /** An approver approved over unresolved review comments, with their reason (the approval signature binds it). */
  'document.commentsOverridden': z.object({
    revision: Revision,
    iteration: z.number(),
    comments: z.array(z.string()),
    reason: z.string(),
  }),
  /** Every named approver signed "approved". */
  'document.approved': z.object({ revision: Revision }),
  'document.becameEffective': z.object({
    revision: Revision,
    effectiveDate: z.string(),
    supersedes: z.string().nullable(),
  }),
  'document.trainingAssigned': z.object({ revision: Revision, trainings: z.number() }),
  'document.periodicReviewed': z.object({ revision: Revision, nextReviewDue: z.string() }),
  'document.obsoleted': z.object({ revision: Revision.nullable(), reason: z.string() }),
  'document.revisionStarted': z.object({ revision: Revision, author: Person }),
  /**
   * A document taken over from the legacy register by a data migration (issue 14 item 3;
   * permission migration.run), the first event of its stream: its legacy number (claimed on
   * `docnumber:<number>` like an allocated one), its current revision effective and, optionally,
   * older revisions superseded, each with its file (content store, SHA-256), its original
   * effective date and the row it came from (batch, file, sheet, row). No signature is claimed:
   * none was given in Provenant (21 CFR 11.50, 11.70); the legacy approval records are the evidence
   * (ISO 13485:2016 4.2.4, 4.2.5).
   */
  'document.migrated': z.object({
    number: z.string(),
    type: z.enum(DOCUMENT_TYPES),
    title: BilingualView,
    owner: Person,
    department: z.string(),
    /** From the register (since session 15); older events have none: the importer owns, nobody signs. */
    reviewers: z.array(Person).optional(),
    approvers: z.array(Person).optional(),
    trainees: z.object({ roles: z.array(z.string()), users: z.array(z.string()) }).optional(),
    reviewIntervalMonths: z.number(),
    revisions: z.array(
      z.object({
        revision: Revision,
        effectiveDate: z.string(),
        superseded: z.boolean(),
        file: StoredFile,
        source: z.object({
          batch: z.string(),
          file: z.string(),
          sheet: z.string(),
          row: z.number(),
          sha256: z.string(),
        }),
      }),
    ),
  }),
});
