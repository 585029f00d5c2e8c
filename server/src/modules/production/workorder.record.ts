import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { hasPermission } from '../../identity/roles.ts';
import { sumQty } from '../../platform/fields.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { productionEvents } from './events.ts';
import { workOrderLifecycle } from './workorder.lifecycle.ts';
import { SIGNED_ACTIONS, WORKORDERS, type Signed, type WoOperation, type WorkOrderState } from './workorder.model.ts';

// A work order is one stream `workorder:<id>`; with everything attached to it, it is the DHR.
// Its events: events.ts; its actions, who may take them and their signatures: workorder.lifecycle.ts.
// Signed steps follow one pattern: a proposal (`workorder.signingProposed`, holding the values
// the signer vouches for), the e-signature over exactly that state, then the effect event.

// effects carry the signer and the signed values themselves, so they read the same whatever lands between
const signedBy = (d: Signed): Signed => ({ by: d.by, byId: d.byId, at: d.at, signatureId: d.signatureId });
const onOp = (s: WorkOrderState, seq: number, f: (op: WoOperation) => WoOperation) =>
  s.operations.map((op) => (op.seq === seq ? f(op) : op));

const EFFECTS = {
  release: 'workorder.released',
  perform: 'workorder.stepPerformed',
  verify: 'workorder.stepVerified',
  close_deviation: 'workorder.deviationClosed',
  qa_release: 'workorder.closed',
} as const;
const SIGNED_EFFECTS = new Set<string>(Object.values(EFFECTS));
/** What a signature on a work order binds to: everything but the signature itself. */
const woContent = ({ lastSignature: _l, ...rest }: WorkOrderState) => rest;
/** An effect lands only on the counted signature, by the proposer, of the pending step it completes. */
const completesPending = (s: WorkOrderState, type: string, signatureId: string) => {
  const p = s.pending;
  const sig = s.lastSignature;
  return (
    !!p &&
    !!sig &&
    EFFECTS[p.action] === type &&
    sig.id === signatureId &&
    sig.byId === p.byId &&
    SIGNED_ACTIONS[p.action] === sig.meaning
  );
};

function reduce(s: WorkOrderState | undefined, e: LedgerEvent): WorkOrderState {
  const ev = productionEvents.typed(e);
  if (ev.type === 'workorder.created') {
    const d = ev.data;
    return {
      id: e.stream.slice('workorder:'.length),
      number: d.number,
      state: 'planned',
      item: d.item,
      dmr: d.dmr,
      labeling: d.labeling,
      plannedQuantity: d.plannedQuantity,
      plannedStart: d.plannedStart,
      plannedEnd: d.plannedEnd,
      lotNumber: d.lotNumber,
      serials: d.serials,
      createdAt: e.at,
      createdBy: d.createdBy,
      bom: d.bom,
      operations: d.operations,
      materials: [],
      deviations: [],
      labels: {
        printed: 0,
        used: 0,
        destroyed: 0,
        reconciled: false,
        reason: null,
        productionDate: null,
        expiryDate: null,
        reconciledBy: null,
        reconciledAt: null,
      },
      materialReconciliation: null,
      output: null,
      pending: null,
      approval: null,
      release: null,
      cancelled: null,
      lastSignature: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before workorder.created`);
  if (SIGNED_EFFECTS.has(ev.type) && !completesPending(s, ev.type, (ev.data as Signed).signatureId)) return s;
  switch (ev.type) {
    case 'workorder.signingProposed': {
      const d = ev.data;
      return {
        ...s,
        pending: {
          action: d.action,
          by: e.actor.name,
          byId: e.actor.id,
          seq: d.seq,
          deviationId: d.deviationId,
          data: d.data ?? {},
        },
      };
    }
    case SIGNATURE_EVENT: {
      // a signature that does not verify (copied, forged, over other content) counts for nothing
      if (!signatureCounts(s, e, woContent)) return s;
      const sig = ev.data;
      return {
        ...s,
        lastSignature: {
          id: sig.signatureId,
          meaning: sig.meaning,
          by: sig.signer.name,
          byId: sig.signer.id,
          at: sig.signedAt,
        },
      };
    }
    case 'workorder.released':
      return { ...s, state: 'released', pending: null, approval: signedBy(ev.data) };
    case 'workorder.stepPerformed': {
      const d = ev.data;
      const performed = {
        ...signedBy(d),
        values: d.values,
        equipment: d.equipment,
        comment: d.comment ?? null,
        wiRevision: d.wiRevision ?? null,
      };
      return {
        ...s,
        state: 'in_progress',
        pending: null,
        operations: onOp(s, d.seq, (op) => ({ ...op, status: 'performed', performed })),
      };
    }
    case 'workorder.stepVerified':
      return {
        ...s,
        pending: null,
        operations: onOp(s, ev.data.seq, (op) => ({ ...op, status: 'verified', verified: signedBy(ev.data) })),
      };
    case 'workorder.deviationOpened': {
      const d = ev.data;
      return {
        ...s,
        deviations: [
          ...s.deviations,
          {
            id: d.id,
            number: d.number,
            seq: d.seq,
            capture: d.capture,
            value: d.value,
            ...(d.text ? { text: d.text } : {}),
            lower: d.lower,
            upper: d.upper,
            status: 'open',
            openedAt: e.at,
            closure: null,
          },
        ],
      };
    }
    case 'workorder.deviationClosed': {
      const d = ev.data;
      const closure = { ...signedBy(d), disposition: d.disposition, rationale: d.rationale };
      return {
        ...s,
        pending: null,
        deviations: s.deviations.map((x) => (x.id === d.deviationId ? { ...x, status: 'closed', closure } : x)),
      };
    }
    case 'workorder.closed':
      return { ...s, state: 'closed', pending: null, release: signedBy(ev.data) };
    case 'workorder.cancelled':
      return { ...s, state: 'cancelled', cancelled: { by: e.actor.name, at: e.at, reason: e.reason ?? '' } };
    case 'workorder.materialIssued': {
      const d = ev.data;
      return {
        ...s,
        materials: [...s.materials, { ...d, at: e.at, by: e.actor.name }],
        bom: s.bom.map((l) => (l.itemId === d.itemId ? { ...l, issued: sumQty(l.issued, d.quantity) } : l)),
      };
    }
    case 'workorder.labelsPrinted': {
      const d = ev.data;
      return {
        ...s,
        labels: {
          ...s.labels,
          printed: s.labels.printed + d.quantity,
          reconciled: false,
          productionDate: s.labels.productionDate ?? d.productionDate,
          expiryDate: s.labels.expiryDate ?? d.expiryDate,
        },
      };
    }
    case 'workorder.labelsReconciled':
      return {
        ...s,
        labels: {
          ...s.labels,
          used: ev.data.used,
          destroyed: ev.data.destroyed,
          reconciled: true,
          reason: e.reason ?? null,
          reconciledBy: e.actor.name,
          reconciledAt: e.at,
        },
      };
    case 'workorder.materialsReconciled':
      return {
        ...s,
        materialReconciliation: { lines: ev.data.lines, reason: e.reason ?? null, by: e.actor.name, at: e.at },
      };
    case 'workorder.completed': {
      const d = ev.data;
      return {
        ...s,
        state: 'completed',
        output: {
          goodQuantity: d.goodQuantity,
          scrappedQuantity: d.scrappedQuantity,
          lotIds: d.lotIds,
          serials: d.serials,
          at: e.at,
          by: e.actor.name,
        },
      };
    }
    default:
      return s;
  }
}

export const workOrderRecord = defineRecordType<WorkOrderState>({
  type: 'workorder',
  collection: WORKORDERS,
  reduce,
  content: woContent,
  events: productionEvents,
  lifecycle: workOrderLifecycle, // the one policy: actions, checks, separation of duties and signing (canSign is derived from it)
  afterSignature(s, meaning) {
    const p = s.pending;
    if (!p || !s.lastSignature || SIGNED_ACTIONS[p.action] !== meaning) return [];
    const { deviations = [], ...signed } = p.data as { deviations?: Array<Record<string, unknown>> };
    const sig = s.lastSignature;
    const base = {
      ...signed,
      signatureId: sig.id,
      by: sig.by,
      byId: sig.byId,
      at: sig.at,
      ...(p.seq !== undefined ? { seq: p.seq } : {}),
      ...(p.deviationId ? { deviationId: p.deviationId } : {}),
    };
    const effects: Array<{ type: string; data: Record<string, unknown> }> = [{ type: EFFECTS[p.action], data: base }];
    for (const dev of deviations) effects.push({ type: 'workorder.deviationOpened', data: dev });
    return effects;
  },
  canRead: (user) => hasPermission(user, 'records.read'),
});
