import type { z } from 'zod';
import type { Projected } from '../../records/projector.ts';
import type { BilingualView } from '../../platform/schemas.ts';
import type { Capture } from '../dmr/dmr.record.ts';
import type { ProductionEvents } from './events.ts';
import { BOM_QTY_DECIMALS, QTY_DECIMALS, product } from '../../platform/fields.ts';

/** A BOM line's quantity per unit × a number of units, exact, to 3 decimals. */
export const requiredFor = (quantityPer: number, units: number) =>
  product(quantityPer, BOM_QTY_DECIMALS, units, QTY_DECIMALS, QTY_DECIMALS);

// The shape of a work order (the electronic DHR's spine). Everything the order was built to
// (BOM, routing, labeling) is a snapshot of the effective DMR revision at creation, so a later
// DMR revision never changes what this order says it followed.
export const WO_STATES = ['planned', 'released', 'in_progress', 'completed', 'closed', 'cancelled'] as const;
export type WoStateName = (typeof WO_STATES)[number];
/** Signed actions: each is proposed, then signed; the signature completes it. */
export const SIGNED_ACTIONS = {
  release: 'approved',
  perform: 'performed',
  verify: 'verified',
  close_deviation: 'approved',
  qa_release: 'released',
} as const;
export type SignedAction = keyof typeof SIGNED_ACTIONS;

type Bilingual = z.output<typeof BilingualView>;
export interface Person {
  id: string;
  name: string;
}
export interface Signed {
  by: string;
  byId: string;
  at: string;
  signatureId: string;
}
export interface StepValue {
  name: string;
  value: number;
  /** As entered, when it keeps decimals the number drops ("4.00"). */
  text?: string;
  unit: string;
  lower: number | null;
  upper: number | null;
  inSpec: boolean;
}
export interface UsedEquipment {
  id: string;
  code: string;
  name: Bilingual;
  calibrationDue: string | null;
}
export interface WoOperation {
  seq: number;
  name: Bilingual;
  workInstructionId: string;
  workInstruction: { number: string; title: Bilingual };
  equipmentType: string;
  /** Its label in both languages, copied from the DMR (absent in orders made before labels). */
  equipmentTypeLabel?: { en?: string; zh?: string };
  trainingRequired: boolean;
  secondPersonVerify: boolean;
  captures: Capture[];
  status: 'pending' | 'performed' | 'verified';
  performed:
    | (Signed & { values: StepValue[]; equipment: UsedEquipment[]; comment: string | null; wiRevision: string | null })
    | null;
  verified: Signed | null;
}
export interface WoBomLine {
  itemId: string;
  partNumber: string;
  name: Bilingual;
  unit: string;
  control: string;
  quantityPer: number;
  required: number;
  issued: number;
}
export interface WoMaterial {
  lotId: string;
  lotNumber: string;
  itemId: string;
  partNumber: string;
  quantity: number;
  location: string | null;
  supplier: { code: string; name: Bilingual } | null;
  supplierLot: string | null;
  expiryDate: string | null;
  coaRef: string | null;
  at: string;
  by: string;
}
export interface WoDeviation {
  id: string;
  number: string;
  seq: number;
  capture: string;
  value: number;
  text?: string;
  lower: number | null;
  upper: number | null;
  status: 'open' | 'closed';
  openedAt: string;
  closure: (Signed & { disposition: string; rationale: string }) | null;
}
export interface WoLabels {
  printed: number;
  used: number;
  destroyed: number;
  reconciled: boolean;
  reason: string | null;
  productionDate: string | null;
  expiryDate: string | null;
  reconciledBy: string | null;
  reconciledAt: string | null;
}
export interface ReconLine {
  itemId: string;
  partNumber: string;
  standard: number;
  issued: number;
  consumed: number;
  scrapped: number;
  variance: number;
}
/** What a signer proposed and is about to sign (the values they vouch for). */
export type ProposalData = z.output<ProductionEvents['schemas']['workorder.signingProposed']>['data'];
export interface Pending {
  action: SignedAction;
  by: string;
  byId: string;
  seq?: number;
  deviationId?: string;
  data: ProposalData;
}
export interface WorkOrderState {
  id: string;
  number: string;
  state: WoStateName;
  item: {
    id: string;
    partNumber: string;
    name: Bilingual;
    gtin: string | null;
    control: string;
    unit: string;
    shelfLifeDays: number | null;
  };
  dmr: { id: string; revision: string; effectiveDate: string | null };
  labeling: { udiElements: string[]; text: Bilingual };
  plannedQuantity: number;
  plannedStart: string;
  plannedEnd: string;
  lotNumber: string;
  serials: string[];
  createdAt: string;
  createdBy: Person;
  bom: WoBomLine[];
  operations: WoOperation[];
  materials: WoMaterial[];
  deviations: WoDeviation[];
  labels: WoLabels;
  materialReconciliation: { lines: ReconLine[]; reason: string | null; by: string; at: string } | null;
  output: {
    goodQuantity: number;
    scrappedQuantity: number;
    lotIds: string[];
    serials: string[];
    at: string;
    by: string;
  } | null;
  pending: Pending | null;
  approval: Signed | null;
  release: Signed | null;
  cancelled: { by: string; at: string; reason: string } | null;
  lastSignature: { id: string; meaning: string; by: string; byId: string; at: string } | null;
}
export type WorkOrderDoc = Projected<WorkOrderState>;
export const WORKORDERS = 'workorders';

export const isDone = (op: WoOperation) =>
  op.status === 'verified' || (op.status === 'performed' && !op.secondPersonVerify);
/** The first operation not yet done: the only one that may be performed or verified now (21 CFR 11.10(f)). */
export const nextOperation = (w: WorkOrderState) => w.operations.find((op) => !isDone(op)) ?? null;
/** Who performed the operation a deviation was opened on (they never close it). */
export const performerOf = (w: WorkOrderState, deviationId: string | undefined) => {
  const dev = w.deviations.find((d) => d.id === deviationId);
  return w.operations.find((op) => op.seq === dev?.seq)?.performed?.byId;
};
export const openDeviations = (w: WorkOrderState) => w.deviations.filter((d) => d.status === 'open').length;

/** What QA checks before signing the release: each item true or the DHR is incomplete. */
export function checklist(w: WorkOrderState) {
  return [
    { key: 'steps', ok: w.operations.every(isDone) },
    { key: 'deviations', ok: openDeviations(w) === 0 },
    {
      key: 'labels',
      ok:
        w.labeling.udiElements.length === 0
          ? w.labels.printed === 0 || w.labels.reconciled
          : w.labels.printed > 0 && w.labels.reconciled,
    },
    { key: 'materials', ok: w.bom.length === 0 || w.materialReconciliation !== null },
    { key: 'output', ok: w.output !== null },
  ] as const;
}
