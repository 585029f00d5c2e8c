import type { LedgerEvent } from '../../ledger/event.ts';
import { defineRecordType } from '../../records/registry.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import type { Projected } from '../../records/projector.ts';
import { SIGNATURE_EVENT } from '../../records/events.ts';
import { signatureCounts } from '../../../../signatures/esign/seal.ts';
import { sumQty } from '../../platform/fields.ts';
import type { Bilingual } from '../items/item.record.ts';
import type { z } from 'zod';
import { ncEvents, type DETECTION_POINTS, type DISPOSITIONS, type NcSource } from './events.ts';
import { ncLifecycle, SIGNED } from './nc.lifecycle.ts';
import { decisionBy } from '../../records/principal.ts';

// A nonconformance (`nc:<id>`, ISO 13485:2016 8.3, QMSR 820 by reference): one record for every
// source (incoming inspection, production deviation, complaint, internal audit, supplier,
// customer return) naming the affected item, its lots and quantities. The MRB disposes each
// quantity (a concession, rework, return, scrap, regrade) by signature; QA closes it by
// signature. Who may do what, and when: nc.lifecycle.ts; the events: events.ts.

export type NcSourceData = z.output<typeof NcSource>;
export type DispositionDecision = (typeof DISPOSITIONS)[number];
export interface NcDisposition {
  id: string;
  lotId: string;
  decision: DispositionDecision;
  quantity: number;
  justification: string;
  location: string | null;
  /** The authoriser (the signer: ISO 13485 8.3.2 keeps the identity of who authorised a concession). */
  by: string;
  byId: string;
  at: string;
  signatureId: string;
  /** Rework only: its re-verification, required before release (ISO 13485 8.3.4). */
  reverification: { by: string; byId: string; at: string; signatureId: string; note: string } | null;
}
export interface NcLot {
  lotId: string;
  lotNumber: string;
  serial: string | null;
  quantity: number;
  unit: string;
  undisposed: number;
}
export interface NcPending {
  action: keyof typeof SIGNED;
  byId: string;
  disposition?: Omit<NcDisposition, 'by' | 'byId' | 'at' | 'signatureId' | 'reverification'>;
  dispositionId?: string;
  note: string;
}
export interface NcState {
  id: string;
  number: string;
  status: 'open' | 'closed';
  source: NcSourceData;
  item: { id: string; partNumber: string; name: Bilingual };
  supplier: { code: string; name: Bilingual } | null;
  lots: NcLot[];
  description: string;
  detectionPoint: (typeof DETECTION_POINTS)[number] | null;
  containment: string;
  openedBy: string;
  openedById: string;
  openedAt: string;
  dispositions: NcDisposition[];
  capaId: string | null;
  pending: NcPending | null;
  closure: { by: string; at: string; signatureId: string; note: string } | null;
}
export type NcDoc = Projected<NcState>;
export const NONCONFORMANCES = 'nonconformances';
declareIndexes(NONCONFORMANCES, [
  { key: { status: 1 }, name: 'status' },
  { key: { 'lots.lotId': 1 }, name: 'lots' },
  { key: { 'source.kind': 1 }, name: 'source_kind' },
]);

/** What a signature on an NC binds: everything (the signatures are applied only after they land). */
const ncContent = (s: NcState) => s;

/** The proposer's own counted signature, with the meaning of the step proposed, completes it. */
function complete(s: NcState, raw: LedgerEvent): NcState {
  const sig = ncEvents.typed(raw).data as {
    signatureId: string;
    meaning: string;
    signer: { id: string; name: string };
    signedAt: string;
    onBehalfOf?: { id: string; name: string; delegationId: string };
  };
  const p = s.pending;
  if (!p || sig.signer.id !== p.byId || SIGNED[p.action] !== sig.meaning || !signatureCounts(s, raw, ncContent))
    return s;
  const by = decisionBy(sig);
  const base = { ...s, pending: null };
  if ((p.action === 'use_as_is' || p.action === 'dispose') && p.disposition) {
    const d = p.disposition;
    return {
      ...base,
      lots: s.lots.map((l) => (l.lotId === d.lotId ? { ...l, undisposed: sumQty(l.undisposed, -d.quantity) } : l)),
      dispositions: [...s.dispositions, { ...d, ...by, reverification: null }],
    };
  }
  if (p.action === 'verify_rework')
    return {
      ...base,
      dispositions: s.dispositions.map((d) =>
        d.id === p.dispositionId ? { ...d, reverification: { ...by, note: p.note } } : d,
      ),
    };
  if (p.action === 'close')
    return { ...base, status: 'closed', closure: { by: by.by, at: by.at, signatureId: by.signatureId, note: p.note } };
  return s;
}

function reduce(s: NcState | undefined, raw: LedgerEvent): NcState {
  const e = ncEvents.typed(raw);
  if (e.type === 'nc.opened') {
    const d = e.data;
    return {
      id: e.stream.slice('nc:'.length),
      number: d.number,
      status: 'open',
      source: d.source,
      item: d.item,
      supplier: d.supplier,
      // an NC written before quantities were recorded names no lots (its lot's rejection is signed on the lot)
      lots: (d.lots ?? []).map((l) => ({ ...l, undisposed: l.quantity })),
      description: d.description,
      detectionPoint: d.detectionPoint ?? (d.source.kind === 'incoming_inspection' ? 'incoming' : null),
      containment: d.containment ?? '',
      openedBy: e.actor.name,
      openedById: e.actor.id,
      openedAt: e.at,
      dispositions: [],
      capaId: null,
      pending: null,
      closure: null,
    };
  }
  if (!s) throw new Error(`${e.stream} v${e.version}: ${e.type} before nc.opened`);
  switch (e.type) {
    case 'nc.proposed': {
      const d = e.data;
      return {
        ...s,
        pending: {
          action: d.action,
          byId: e.actor.id,
          note: d.note,
          ...(d.disposition ? { disposition: d.disposition } : {}),
          ...(d.dispositionId ? { dispositionId: d.dispositionId } : {}),
        },
      };
    }
    case 'nc.capaLinked':
      return { ...s, capaId: e.data.capaId };
    case SIGNATURE_EVENT:
      return complete(s, raw);
  }
  return s;
}

export const ncRecord = defineRecordType<NcState>({
  type: 'nc',
  collection: NONCONFORMANCES,
  reduce,
  content: ncContent,
  events: ncEvents,
  lifecycle: ncLifecycle,
});
