import type { Services } from '../../platform/services.ts';
import type { Locale } from '../../platform/context.ts';
import type { LedgerEvent } from '../../ledger/event.ts';
import { verifyStream } from '../../ledger/verify.ts';
import { signaturesOf, verifyStreamSignatures, type SignatureData } from '../../records/signing.ts';
import { manifestationOf } from '../../../../signatures/manifestation.ts';
import { lots } from '../inventory/service.ts';
import { getWorkOrder, woStream } from './service.ts';
import { sampleHri } from './labels.ts';
import type { Signed } from './workorder.model.ts';
import type { DhrSignature, DhrView } from './dhr.view.ts';
import { nowIso } from '../../platform/clock.ts';

// dhrAssembler: the work order, its signatures (each verified against the content it bound),
// the lots it consumed and produced, and its ledger chain, as the one DhrView every output reads.
export const AUDIT_EXCERPT = 200;

function presentSignatures(
  events: LedgerEvent<SignatureData>[],
  checks: Map<string, boolean>,
  locale: Locale,
): Map<string, DhrSignature> {
  return new Map(
    events.map((e) => [
      e.data.signatureId,
      {
        signatureId: e.data.signatureId,
        meaning: e.data.meaning,
        signer: e.data.signer.name,
        signerId: e.data.signer.id,
        signedAt: e.data.signedAt,
        reason: (e.data.reason as string | undefined) ?? null,
        manifestation: manifestationOf(e.data, locale),
        valid: checks.get(e.data.signatureId) ?? false,
      },
    ]),
  );
}

export async function buildDhrView(s: Services, id: string, locale: Locale): Promise<DhrView> {
  const w = await getWorkOrder(s, id);
  const stream = woStream(id);
  const events = await s.ledger.read(stream, undefined, { fresh: true }); // the DHR states its own chain check: read the store
  const sigEvents = await signaturesOf(s, stream, events);
  const checks = new Map([...(await verifyStreamSignatures(s, stream, events))].map(([id, c]) => [id, c.valid]));
  const sigs = presentSignatures(sigEvents, checks, locale);
  const sig = (x: Signed | null | undefined) => (x ? (sigs.get(x.signatureId) ?? null) : null);
  const outLots = w.output?.lotIds.length
    ? await lots(s)
        .find({ _id: { $in: w.output.lotIds } })
        .toArray()
    : [];
  const head = events[events.length - 1];
  return {
    workOrder: {
      id: w._id,
      stream,
      number: w.number,
      state: w.state,
      plannedQuantity: w.plannedQuantity,
      plannedStart: w.plannedStart,
      plannedEnd: w.plannedEnd,
      createdAt: w.createdAt,
    },
    device: {
      id: w.item.id,
      partNumber: w.item.partNumber,
      name: w.item.name,
      gtin: w.item.gtin,
      control: w.item.control,
    },
    dmr: { id: w.dmr.id, revision: w.dmr.revision, effectiveDate: w.dmr.effectiveDate },
    lotNumber: w.lotNumber,
    serials: w.serials,
    expiryDate: w.labels.expiryDate,
    output: w.output && {
      goodQuantity: w.output.goodQuantity,
      scrappedQuantity: w.output.scrappedQuantity,
      lots: outLots.map((l) => ({ id: l._id, lotNumber: l.lotNumber, serial: l.serial, status: l.status })),
    },
    materials: w.materials.map((m) => {
      const line = w.bom.find((l) => l.itemId === m.itemId);
      return {
        itemId: m.itemId,
        partNumber: m.partNumber,
        name: line?.name ?? { zh: m.partNumber, en: m.partNumber },
        unit: line?.unit ?? '',
        lotId: m.lotId,
        lotNumber: m.lotNumber,
        quantity: m.quantity,
        supplier: m.supplier,
        supplierLot: m.supplierLot,
        expiryDate: m.expiryDate,
        coaRef: m.coaRef,
        issuedAt: m.at,
        issuedBy: m.by,
      };
    }),
    materialReconciliation: w.materialReconciliation,
    steps: w.operations.map((op) => ({
      seq: op.seq,
      name: op.name,
      workInstruction: {
        id: op.workInstructionId,
        number: op.workInstruction.number,
        revision: op.performed?.wiRevision ?? null,
        title: op.workInstruction.title,
      },
      status: op.status,
      values: op.performed?.values ?? [],
      equipment: op.performed?.equipment ?? [],
      comment: op.performed?.comment ?? null,
      performed: sig(op.performed),
      verified: sig(op.verified),
    })),
    deviations: w.deviations.map((d) => ({
      id: d.id,
      number: d.number,
      seq: d.seq,
      capture: d.capture,
      value: d.value,
      text: d.text,
      lower: d.lower,
      upper: d.upper,
      status: d.status,
      openedAt: d.openedAt,
      closure:
        d.closure && sig(d.closure)
          ? { disposition: d.closure.disposition, rationale: d.closure.rationale, signature: sig(d.closure)! }
          : null,
    })),
    labels: {
      printed: w.labels.printed,
      used: w.labels.used,
      destroyed: w.labels.destroyed,
      reason: w.labels.reason,
      reconciledBy: w.labels.reconciledBy,
      reconciledAt: w.labels.reconciledAt,
      sampleHri: w.labels.printed ? sampleHri(w) : null,
    },
    approval: sig(w.approval),
    release: sig(w.release),
    signatures: [...sigs.values()],
    audit: events.slice(-AUDIT_EXCERPT).map((e) => ({
      version: e.version,
      at: e.at,
      actor: e.actor.name,
      type: e.type,
      reason: e.reason ?? null,
      hash: e.hash,
    })),
    ledger: {
      stream,
      version: head.version,
      headHash: head.hash,
      verified: verifyStream(stream, events).findings.length === 0,
    },
    generatedAt: nowIso(),
  };
}
