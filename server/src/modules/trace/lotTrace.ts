import type { Services } from '../../platform/services.ts';
import type { SessionUser } from '../../identity/sessionUser.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';
import { verifyStream } from '../../ledger/verify.ts';
import { presentSignature, signaturesOf, verifyStreamSignatures } from '../../records/signing.ts';
import { getLot } from '../inventory/service.ts';
import { presentLot } from '../inventory/presenter.ts';
import { inspections } from '../inspection/service.ts';
import { nonconformances } from '../nc/service.ts';
import { purchaseOrders } from '../purchasing/service.ts';
import { allLotReferenceSources, type LotReference } from '../../records/contributions.ts';

// The trace view of a lot: the lot with its neighbours in other contexts (the receipt and PO it
// came on, its incoming inspection, the NC a rejection opened), its signatures and the ledger
// check of its stream. It composes inventory, purchasing and inspection, so it lives outside all
// three (none of them imports it); the forward/backward genealogy of a lot will live here too.

/** A lot with its evidence: receipt, inspection, disposition, movements, signatures and the ledger check of its stream. */
export async function lotEvidence(s: Services, id: string) {
  const lot = await getLot(s, id);
  const stream = streamOf('lot', id);
  // one read of the lot's events from the database (not the cache: the page shows what is stored)
  // serves the chain check and every signature's check (each signer's history read once)
  const events = await s.ledger.read(stream, undefined, { fresh: true });
  if (!events.length) throw errors.notFound('lot');
  const [sigs, checks] = await Promise.all([
    signaturesOf(s, stream, events),
    verifyStreamSignatures(s, stream, events),
  ]);
  const { findings } = verifyStream(stream, events);
  const po = lot.po ? await purchaseOrders(s).findOne({ _id: lot.po.id }) : null;
  const receipt = po?.receipts.find((r) => r.id === lot.receiptId) ?? null;
  const inspection = lot.inspectionId ? await inspections(s).findOne({ _id: lot.inspectionId }) : null;
  const nc = lot.disposition?.ncId ? await nonconformances(s).findOne({ _id: lot.disposition.ncId }) : null;
  // the quality records naming this lot, from each context that registered them (contributions.ts)
  const references: { nc: LotReference[]; complaint: LotReference[] } = { nc: [], complaint: [] };
  for (const source of allLotReferenceSources()) references[source.kind].push(...(await source.referencesTo(s, id)));
  return {
    lot,
    receipt:
      receipt && po
        ? {
            id: receipt.id,
            at: receipt.at,
            by: receipt.by,
            location: receipt.location,
            po: { id: po._id, number: po.number },
            supplier: po.supplier,
            line: receipt.lines.find((l) => l.lotIds.includes(id)) ?? null,
          }
        : null,
    inspection: inspection
      ? {
          id: inspection._id,
          number: inspection.number,
          status: inspection.status,
          plan: inspection.plan,
          result: inspection.result,
          defectives: inspection.defectives,
          inspector: inspection.inspector,
          completedAt: inspection.completedAt,
        }
      : null,
    nonconformance: nc ? { id: nc._id, number: nc.number, status: nc.status, description: nc.description } : null,
    references,
    signatures: await Promise.all(sigs.map((e) => presentSignature(s, e, checks.get(e.data.signatureId)))),
    ledger: { stream, events: events.length, head: events.at(-1)!.hash, valid: findings.length === 0, findings },
  };
}

/** The lot's page: the lot as inventory presents it (with its `actions`) and its trace. */
export const presentLotDetail = (e: Awaited<ReturnType<typeof lotEvidence>>, user: SessionUser) => ({
  ...presentLot(e.lot, user),
  movements: e.lot.movements,
  receipt: e.receipt,
  inspectionRecord: e.inspection,
  nonconformance: e.nonconformance,
  references: e.references,
  signatures: e.signatures,
  ledger: e.ledger,
});
