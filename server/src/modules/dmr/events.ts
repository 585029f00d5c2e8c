import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// What can happen to a Device Master Record (stream `dmr:<id>`), one schema per event. The shapes
// are the ledger's: a change here must still read every DMR ever written.
export const UDI_ELEMENTS = ['01', '17', '10', '21', '11'] as const; // GTIN, expiry, lot, serial, production date
export const BOM_CONTROLS = ['lot', 'serial', 'none'] as const;

const Person = z.object({ id: z.string(), name: z.string() });
/** A display label beside a stable name (platform/labels.ts): either language may be missing. */
const StoredLabel = z.object({ en: z.string().optional(), zh: z.string().optional() });
const Revision = z.string().regex(/^[A-Z]+$/);

/** A revision's content as stored (resolved against the item master and the document register). */
export const DmrContentData = z.object({
  bom: z.array(
    z.object({
      itemId: z.string(),
      partNumber: z.string(),
      name: BilingualView,
      quantity: z.number(),
      unit: z.string(),
      control: z.enum(BOM_CONTROLS),
    }),
  ),
  routing: z.array(
    z.object({
      seq: z.number(),
      name: BilingualView,
      workInstructionId: z.string(),
      workInstruction: z.object({ number: z.string(), title: BilingualView }),
      equipmentType: z.string(),
      /** added with issue 15: older revisions have none (the code is shown) */
      equipmentTypeLabel: StoredLabel.optional(),
      trainingRequired: z.boolean(),
      secondPersonVerify: z.boolean(),
      captures: z.array(
        z.object({
          name: z.string(),
          label: StoredLabel.optional(),
          unit: z.string(),
          lower: z.number().nullable(),
          upper: z.number().nullable(),
        }),
      ),
    }),
  ),
  specifications: z.array(z.object({ name: z.string(), value: z.string() })),
  labeling: z.object({ udiElements: z.array(z.enum(UDI_ELEMENTS)), text: BilingualView }),
  packaging: BilingualView,
});

export const dmrEvents = defineEvents('dmr', {
  'dmr.created': z.object({
    item: z.object({ id: z.string(), partNumber: z.string(), name: BilingualView, control: z.string() }),
    author: Person,
  }),
  'dmr.draftUpdated': z.object({ revision: Revision, content: DmrContentData }),
  /** heldBy: the open change request (ISO 13485:2016 7.3.9) that makes this revision effective. */
  'dmr.submitted': z.object({ revision: Revision, heldBy: z.string().optional() }),
  // reviewed | rejected | approved
  [SIGNATURE_EVENT]: SignatureEventData,
  'dmr.reviewCompleted': z.object({ revision: Revision }),
  'dmr.returnedToDraft': z.object({ revision: Revision, iteration: z.number() }),
  'dmr.becameEffective': z.object({ revision: Revision, effectiveDate: z.string(), supersedes: z.string().nullable() }),
  /** A copy of the effective content to change. */
  'dmr.revisionStarted': z.object({ revision: Revision, author: Person }),
});
