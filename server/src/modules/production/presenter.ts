import { hasPermission } from '../../identity/roles.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { streamOf } from '../../records/registry.ts';
import { checklist, isDone, nextOperation, openDeviations, type WorkOrderDoc, type WorkOrderState } from './workorder.model.ts';
import { actionPermission } from './workorder.policy.ts';
import { sampleHri } from './labels.ts';

// The only serialization boundary of work orders: the summary for lists, the detail with the
// actions this user may take now (the client draws its buttons from them; the server decides).
export function presentWorkOrderSummary(w: WorkOrderDoc) {
  return {
    id: w._id, stream: streamOf('workorder', w._id), number: w.number, item: { id: w.item.id, partNumber: w.item.partNumber, name: w.item.name, gtin: w.item.gtin, control: w.item.control },
    state: w.state, plannedQuantity: w.plannedQuantity, lotNumber: w.lotNumber, serials: w.serials, dmrRevision: w.dmr.revision,
    plannedStart: w.plannedStart, plannedEnd: w.plannedEnd, progress: { done: w.operations.filter(isDone).length, total: w.operations.length },
    openDeviations: openDeviations(w), createdAt: w.createdAt,
  };
}

function actionsFor(w: WorkOrderState, user: SessionUser): string[] {
  const can = (a: string) => hasPermission(user, actionPermission[a]);
  const running = w.state === 'released' || w.state === 'in_progress';
  const next = nextOperation(w);
  const list: Array<[string, boolean]> = [
    ['release', w.state === 'planned'], ['cancel', w.state === 'planned'], ['issue', running],
    ['perform', running && next?.status === 'pending'],
    ['verify', running && next?.status === 'performed' && next.performed?.byId !== user.id],
    ['close_deviation', openDeviations(w) > 0 && (w.state === 'in_progress' || w.state === 'completed')],
    ['print_labels', (running || w.state === 'completed') && w.labeling.udiElements.length > 0],
    ['reconcile_labels', (w.state === 'in_progress' || w.state === 'completed') && w.labels.printed > 0],
    ['reconcile_materials', w.state === 'in_progress' || w.state === 'completed'],
    ['complete', w.state === 'in_progress' && !next],
    ['qa_release', w.state === 'completed' && checklist(w).every((c) => c.ok) && w.createdBy.id !== user.id],
  ];
  return list.filter(([a, ok]) => ok && can(a)).map(([a]) => a);
}

export function presentWorkOrderDetail(w: WorkOrderDoc, user: SessionUser) {
  return {
    ...presentWorkOrderSummary(w), ledgerVersion: w.ledgerVersion, dmr: { id: w.dmr.id, revision: w.dmr.revision }, bom: w.bom,
    operations: w.operations.map((op) => ({
      seq: op.seq, name: op.name, workInstruction: { id: op.workInstructionId, number: op.workInstruction.number, title: op.workInstruction.title },
      equipmentType: op.equipmentType, trainingRequired: op.trainingRequired, secondPersonVerify: op.secondPersonVerify, captures: op.captures,
      status: op.status, next: nextOperation(w)?.seq === op.seq, performed: op.performed, verified: op.verified,
    })),
    materials: w.materials.map((m) => ({ lotId: m.lotId, lotNumber: m.lotNumber, itemId: m.itemId, partNumber: m.partNumber, quantity: m.quantity, supplier: m.supplier, supplierLot: m.supplierLot, at: m.at, by: m.by })),
    deviations: w.deviations,
    labels: { printed: w.labels.printed, used: w.labels.used, destroyed: w.labels.destroyed, reconciled: w.labels.reconciled, reason: w.labels.reason, sampleHri: sampleHri(w) },
    materialReconciliation: w.materialReconciliation,
    output: w.output && { goodQuantity: w.output.goodQuantity, scrappedQuantity: w.output.scrappedQuantity, lotIds: w.output.lotIds },
    checklist: checklist(w), approval: w.approval, release: w.release, cancelled: w.cancelled, actions: actionsFor(w, user),
  };
}
