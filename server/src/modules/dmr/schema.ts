import { z } from 'zod';
import { MEANINGS } from '../../../../signatures/manifestation.ts';
import { DMR_STATES } from './dmr.record.ts';
import { BOM_CONTROLS, DmrContentData, UDI_ELEMENTS } from './events.ts';
import { BomQuantity, Measurement, RecordVersion, optional, whole } from '../../platform/fields.ts';
import { Label } from '../../platform/labels.ts';
import { Bilingual, BilingualView, Credentials, Id, Reason, Text } from '../../platform/schemas.ts';

/** Label and packaging texts: longer than a name, and either language may still be blank in a draft. */
const FreeText = z.object({ zh: Text(2000).default(''), en: Text(2000).default('') });
// a limit left blank (absent, '' or null) is no limit
const Limit = optional(Measurement.nullable()).transform((v) => v ?? null);

const BomLineInput = z
  .object({
    itemId: Id,
    quantity: BomQuantity,
    control: z.enum(BOM_CONTROLS),
  })
  .strip(); // partNumber, name and unit come from the item master
const CaptureInput = z
  .object({
    name: Text(100).min(1),
    /** what a user reads (the name stays the key of the step values) */
    label: Label.optional(),
    unit: Text(20).default(''),
    lower: Limit.default(null),
    upper: Limit.default(null),
  })
  .refine(
    (c) => c.lower === null || c.upper === null || c.lower <= c.upper,
    'the lower limit is above the upper limit',
  );
const OperationInput = z
  .object({
    seq: whole(1, 9999),
    name: Bilingual,
    workInstructionId: Id,
    equipmentType: Text(100).default(''),
    equipmentTypeLabel: Label.optional(),
    trainingRequired: z.boolean().default(true),
    secondPersonVerify: z.boolean().default(false),
    // step values arrive keyed by capture name (PerformBody.values), so a name is one value: unique,
    // and not a key a JSON body cannot carry (the body parser refuses __proto__)
    captures: z
      .array(CaptureInput)
      .max(50)
      .default([])
      .refine((c) => new Set(c.map((x) => x.name)).size === c.length, 'each capture name once in an operation')
      .refine((c) => c.every((x) => x.name !== '__proto__'), 'a capture cannot be named __proto__'),
  })
  .strip();

export const DmrContentInput = z.object({
  bom: z
    .array(BomLineInput)
    .max(200)
    .refine((b) => new Set(b.map((l) => l.itemId)).size === b.length, 'each item once in the BOM'),
  routing: z
    .array(OperationInput)
    .max(100)
    .refine(
      (ops) => ops.every((o, i) => i === 0 || o.seq > ops[i - 1].seq),
      'operation numbers must be unique and ascending',
    ),
  specifications: z
    .array(z.object({ name: Text(200).min(1), value: Text(1000).min(1) }))
    .max(100)
    .default([]),
  labeling: z
    .object({
      udiElements: z
        .array(z.enum(UDI_ELEMENTS))
        .max(5)
        .refine((a) => new Set(a).size === a.length, 'each UDI element once')
        .default([]),
      text: FreeText.default({ zh: '', en: '' }),
    })
    .default({ udiElements: [], text: { zh: '', en: '' } }),
  packaging: FreeText.default({ zh: '', en: '' }),
});
export type DmrContentInput = z.infer<typeof DmrContentInput>;

export const CreateDmrBody = z.object({ itemId: Id }).strict();
export const DraftBody = z.object({ version: RecordVersion, content: DmrContentInput });
export const DmrActionName = z.enum(['submit', 'review', 'reject', 'approve', 'new_revision', 'release']);
export const DmrActionParams = z.object({ id: Id, action: DmrActionName });
export const DmrActionBody = z.object({
  version: RecordVersion,
  password: optional(Credentials.password),
  totp: Credentials.totp,
  reason: optional(Reason),
});
export type DmrActionInput = z.infer<typeof DmrActionBody>;

const Person = z.object({ id: z.string(), name: z.string() });
const Decision = z.object({
  userId: z.string(),
  name: z.string(),
  decision: z.string(),
  at: z.string(),
  reason: z.string().optional(),
  iteration: z.number(),
  signatureId: z.string(),
});
const ItemRef = z.object({ id: z.string(), partNumber: z.string(), name: BilingualView, control: z.string() });
export const DmrSummaryView = z.object({
  id: z.string(),
  item: ItemRef,
  state: z.enum(DMR_STATES),
  revision: z.string(),
  workingState: z.enum(DMR_STATES),
  current: z.string(),
  effectiveDate: z.string().nullable(),
});
export const DmrContentView = DmrContentData;
export const DmrDetailView = DmrSummaryView.extend({
  stream: z.string(),
  version: z.number(),
  createdAt: z.string(),
  revisions: z.array(
    z.object({
      revision: z.string(),
      iteration: z.number(),
      state: z.enum(DMR_STATES),
      author: Person,
      content: DmrContentView,
      submittedAt: z.string().nullable(),
      reviews: z.array(Decision),
      approvals: z.array(Decision),
      effectiveDate: z.string().nullable(),
      supersededAt: z.string().nullable(),
    }),
  ),
  actions: z.array(
    z.object({
      action: z.enum(['edit', 'submit', 'review', 'reject', 'approve', 'new_revision', 'release']),
      signature: z.enum(MEANINGS).nullable(),
      needsReason: z.boolean(),
      needsDate: z.boolean(),
      needsValues: z.boolean(),
      scope: z.string().nullable(),
    }),
  ),
});
