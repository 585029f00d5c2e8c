import { labelOf } from '../../platform/labels.ts';
import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { streamOf } from '../../records/registry.ts';
import { availableActions, explainedActions } from '../../records/lifecycle.ts';
import { checklist, isDone, nextOperation, openDeviations, type WorkOrderDoc } from './workorder.model.ts';
import { workOrderLifecycle } from './workorder.lifecycle.ts';
import { sampleHri } from './labels.ts';

// The only serialization boundary of work orders: the summary for lists, the detail with the
// actions this user may take now, from the lifecycle declaration (the client draws its buttons
// from them: each with its signature meaning, what it asks for, and its target, e.g. `{ seq }`).
export function presentWorkOrderSummary(w: WorkOrderDoc) {
  return {
    id: w._id,
    stream: streamOf('workorder', w._id),
    number: w.number,
    item: {
      id: w.item.id,
      partNumber: w.item.partNumber,
      name: w.item.name,
      gtin: w.item.gtin,
      control: w.item.control,
    },
    state: w.state,
    plannedQuantity: w.plannedQuantity,
    lotNumber: w.lotNumber,
    serials: w.serials,
    dmrRevision: w.dmr.revision,
    plannedStart: w.plannedStart,
    plannedEnd: w.plannedEnd,
    progress: { done: w.operations.filter(isDone).length, total: w.operations.length },
    openDeviations: openDeviations(w),
    createdAt: w.createdAt,
  };
}

/** A list row: the summary with what this user may do on it now (the shop floor's tiles are the orders with a step for them). */
export function presentWorkOrderRow(w: WorkOrderDoc, user: SessionUser) {
  return { ...presentWorkOrderSummary(w), actions: availableActions(workOrderLifecycle, w, user) };
}

/**
 * The detail, with each action the lifecycle offers marked `blockedBy` when a check of its
 * `prepare` would refuse this user now (untrained on the step's work instruction revision, no
 * usable equipment): the shop floor shows why when the step is opened, not after the signature.
 */
export async function presentWorkOrderDetail(s: Services, w: WorkOrderDoc, user: SessionUser) {
  return {
    ...presentWorkOrderSummary(w),
    ledgerVersion: w.ledgerVersion,
    dmr: { id: w.dmr.id, revision: w.dmr.revision },
    bom: w.bom,
    operations: w.operations.map((op) => ({
      seq: op.seq,
      name: op.name,
      workInstruction: { id: op.workInstructionId, number: op.workInstruction.number, title: op.workInstruction.title },
      equipmentType: op.equipmentType,
      equipmentTypeLabel: labelOf(op.equipmentTypeLabel, op.equipmentType),
      trainingRequired: op.trainingRequired,
      secondPersonVerify: op.secondPersonVerify,
      captures: op.captures,
      status: op.status,
      next: nextOperation(w)?.seq === op.seq,
      performed: op.performed,
      verified: op.verified,
    })),
    materials: w.materials.map((m) => ({
      lotId: m.lotId,
      lotNumber: m.lotNumber,
      itemId: m.itemId,
      partNumber: m.partNumber,
      quantity: m.quantity,
      supplier: m.supplier,
      supplierLot: m.supplierLot,
      at: m.at,
      by: m.by,
    })),
    deviations: w.deviations,
    labels: {
      printed: w.labels.printed,
      used: w.labels.used,
      destroyed: w.labels.destroyed,
      reconciled: w.labels.reconciled,
      reason: w.labels.reason,
      sampleHri: sampleHri(w),
    },
    materialReconciliation: w.materialReconciliation,
    output: w.output && {
      goodQuantity: w.output.goodQuantity,
      scrappedQuantity: w.output.scrappedQuantity,
      lotIds: w.output.lotIds,
    },
    checklist: checklist(w),
    approval: w.approval,
    release: w.release,
    cancelled: w.cancelled,
    actions: await explainedActions(workOrderLifecycle, s, w, user),
  };
}
