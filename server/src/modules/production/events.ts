import { z } from 'zod';
import { defineEvents, SIGNATURE_EVENT, SignatureEventData } from '../../records/events.ts';
import { BilingualView } from '../../platform/schemas.ts';

// Everything that can happen to a work order (its stream `workorder:<id>` is the DHR's spine),
// as the ledger holds it. The data shapes are the ones seeded and older ledgers carry: never
// change a field here without a new event type. Signed steps are a proposal
// (`workorder.signingProposed`, the values the signer vouches for), the e-signature over exactly
// that state, then the effect the record type appends (afterSignature), carrying the signer.
const Nullable = <T extends z.ZodType>(t: T) => t.nullable();
const Person = z.object({ id: z.string(), name: z.string() });
/** A display label beside a stable name (platform/labels.ts): absent in orders made before labels. */
const LabelView = z.object({ en: z.string().optional(), zh: z.string().optional() }).optional();
const Capture = z.object({
  name: z.string(),
  label: LabelView,
  unit: z.string(),
  lower: Nullable(z.number()),
  upper: Nullable(z.number()),
});
const Operation = z.object({
  seq: z.number(),
  name: BilingualView,
  workInstructionId: z.string(),
  workInstruction: z.object({ number: z.string(), title: BilingualView }),
  equipmentType: z.string(),
  equipmentTypeLabel: LabelView,
  trainingRequired: z.boolean(),
  secondPersonVerify: z.boolean(),
  captures: z.array(Capture),
  status: z.literal('pending'),
  performed: z.null(),
  verified: z.null(),
});
const BomLine = z.object({
  itemId: z.string(),
  partNumber: z.string(),
  name: BilingualView,
  unit: z.string(),
  control: z.string(),
  quantityPer: z.number(),
  required: z.number(),
  issued: z.number(),
});
export const StepValue = z.object({
  name: z.string(),
  value: z.number(),
  /** The value as entered when its text says more than the number ("4.00"). */
  text: z.string().optional(),
  unit: z.string(),
  lower: Nullable(z.number()),
  upper: Nullable(z.number()),
  inSpec: z.boolean(),
});
export const UsedEquipment = z.object({
  id: z.string(),
  code: z.string(),
  name: BilingualView,
  calibrationDue: Nullable(z.string()),
});
/** A deviation opened by an out-of-spec value (its number is allocated once the performer's password passed). */
export const DeviationOpened = z.object({
  id: z.string(),
  number: z.string(),
  seq: z.number(),
  capture: z.string(),
  value: z.number(),
  text: z.string().optional(),
  lower: Nullable(z.number()),
  upper: Nullable(z.number()),
});
/** The signer, as the effect of a signed step carries them (so it reads the same whatever lands between). */
const SignedBy = { signatureId: z.string(), by: z.string(), byId: z.string(), at: z.string() };
const ReconLine = z.object({
  itemId: z.string(),
  partNumber: z.string(),
  standard: z.number(),
  issued: z.number(),
  consumed: z.number(),
  scrapped: z.number(),
  variance: z.number(),
});

export const SIGNED_ACTION_NAMES = ['release', 'perform', 'verify', 'close_deviation', 'qa_release'] as const;
/** What a performer vouches for with "performed". */
const PerformedValues = z.object({
  values: z.array(StepValue),
  equipment: z.array(UsedEquipment),
  comment: Nullable(z.string()),
  wiRevision: Nullable(z.string()),
  deviations: z.array(DeviationOpened),
});
const Disposition = z.object({ disposition: z.enum(['use_as_is', 'rework', 'scrap']), rationale: z.string() });

export const productionEvents = defineEvents('production', {
  'workorder.created': z.object({
    number: z.string(),
    item: z.object({
      id: z.string(),
      partNumber: z.string(),
      name: BilingualView,
      gtin: Nullable(z.string()),
      control: z.string(),
      unit: z.string(),
      shelfLifeDays: Nullable(z.number()),
    }),
    dmr: z.object({ id: z.string(), revision: z.string(), effectiveDate: Nullable(z.string()) }),
    labeling: z.object({ udiElements: z.array(z.string()), text: BilingualView }),
    bom: z.array(BomLine),
    operations: z.array(Operation),
    plannedQuantity: z.number(),
    plannedStart: z.string(),
    plannedEnd: z.string(),
    lotNumber: z.string(),
    serials: z.array(z.string()),
    createdBy: Person,
  }),
  'workorder.signingProposed': z.object({
    action: z.enum(SIGNED_ACTION_NAMES),
    seq: z.number().optional(),
    deviationId: z.string().optional(),
    data: z.union([PerformedValues, Disposition, z.object({}).strict()]),
  }),
  [SIGNATURE_EVENT]: SignatureEventData,
  'workorder.released': z.object(SignedBy),
  'workorder.stepPerformed': PerformedValues.omit({ deviations: true }).extend({ ...SignedBy, seq: z.number() }),
  'workorder.stepVerified': z.object({ ...SignedBy, seq: z.number() }),
  'workorder.deviationOpened': DeviationOpened,
  'workorder.deviationClosed': Disposition.extend({ ...SignedBy, deviationId: z.string() }),
  'workorder.closed': z.object(SignedBy),
  'workorder.cancelled': z.object({}), // the reason is on the event's envelope
  'workorder.materialIssued': z.object({
    lotId: z.string(),
    lotNumber: z.string(),
    itemId: z.string(),
    partNumber: z.string(),
    quantity: z.number(),
    location: Nullable(z.string()),
    supplier: Nullable(z.object({ code: z.string(), name: BilingualView })),
    supplierLot: Nullable(z.string()),
    expiryDate: Nullable(z.string()),
    coaRef: Nullable(z.string()),
  }),
  'workorder.labelsPrinted': z.object({
    quantity: z.number(),
    productionDate: z.string(),
    expiryDate: Nullable(z.string()),
  }),
  'workorder.labelsReconciled': z.object({ used: z.number(), destroyed: z.number() }),
  'workorder.materialsReconciled': z.object({ lines: z.array(ReconLine) }),
  'workorder.completed': z.object({
    goodQuantity: z.number(),
    scrappedQuantity: z.number(),
    lotIds: z.array(z.string()),
    serials: z.array(z.string()),
  }),
});
export type ProductionEvents = typeof productionEvents;
