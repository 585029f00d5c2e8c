import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { streamOf } from '../../records/registry.ts';

// The quality loop, navigable from either end (ISO 13485:2016 8.2.2, 8.3, 8.5.2; QMSR 820.35(a)):
// complaint → lot/serial and its DHR → NC → CAPA → the document / DMR revisions the CAPA changed,
// and back from a CAPA to its sources. Each link is resolved here, on the server, to what the
// client shows (id, number, title, state), read through the record registry (stream → state), so
// no module imports another's service. A link to a record that does not exist is refused when it
// is written (`mustExist`), so a resolved link is null only for a record outside the registry.

type Bi = { zh: string; en: string };
export interface LinkRef {
  kind:
    | 'complaint'
    | 'nc'
    | 'capa'
    | 'lot'
    | 'workorder'
    | 'document'
    | 'dmr'
    | 'audit_finding'
    | 'trend'
    | 'management_review';
  id: string;
  number: string;
  title: string | Bi | null;
  state: string | null;
  revision?: string;
}

const state = <T extends object>(s: Services, type: string, id: string) =>
  s.projector.stateAt<T>(streamOf(type, id)).catch(() => undefined);

const NOUN: Record<string, string> = {
  nc: 'nonconformance',
  capa: 'CAPA',
  complaint: 'complaint',
  document: 'document',
  dmr: 'DMR',
};

/** Refuses (404) a link to a record of `type` that does not exist; `revision`, when given, must be one of its revisions. */
export async function mustExist(s: Services, type: keyof typeof NOUN, id: string, revision?: string) {
  const st = await state<{ revisions?: Array<{ revision: string }> }>(s, type, id);
  if (!st) throw errors.notFound(NOUN[type]);
  if (revision !== undefined && !(st.revisions ?? []).some((r) => r.revision === revision))
    throw errors.notFound(`${NOUN[type]} revision ${revision}`);
}

async function ncRef(s: Services, id: string): Promise<LinkRef | null> {
  const n = await state<{ number: string; status: string; description: string }>(s, 'nc', id);
  return n ? { kind: 'nc', id, number: n.number, title: n.description.slice(0, 120), state: n.status } : null;
}
async function capaRef(s: Services, id: string): Promise<LinkRef | null> {
  const c = await state<{ number: string; state: string; title: string }>(s, 'capa', id);
  return c ? { kind: 'capa', id, number: c.number, title: c.title, state: c.state } : null;
}
async function complaintRef(s: Services, id: string): Promise<LinkRef | null> {
  const c = await state<{ number: string; status: string; nature: string }>(s, 'complaint', id);
  return c ? { kind: 'complaint', id, number: c.number, title: c.nature.slice(0, 120), state: c.status } : null;
}

type ChangeLink = { type: 'document' | 'dmr'; id: string; revision: string };
/** A document or DMR revision a CAPA's actions change, with the revision's own state. */
async function changeRef(s: Services, l: ChangeLink): Promise<LinkRef | null> {
  if (l.type === 'document') {
    const d = await state<{ number: string; title: Bi; revisions: Array<{ revision: string; state: string }> }>(
      s,
      'document',
      l.id,
    );
    if (!d) return null;
    const rev = d.revisions.find((r) => r.revision === l.revision);
    return {
      kind: 'document',
      id: l.id,
      number: d.number,
      title: d.title,
      state: rev?.state ?? null,
      revision: l.revision,
    };
  }
  const m = await state<{
    item: { partNumber: string; name: Bi };
    revisions: Array<{ revision: string; state: string }>;
  }>(s, 'dmr', l.id);
  if (!m) return null;
  const rev = m.revisions.find((r) => r.revision === l.revision);
  return {
    kind: 'dmr',
    id: l.id,
    number: m.item.partNumber,
    title: m.item.name,
    state: rev?.state ?? null,
    revision: l.revision,
  };
}

const uniq = (ids: Array<string | null | undefined>) => [...new Set(ids.filter((x): x is string => !!x))];
const present = <T>(xs: Array<T | null>) => xs.filter((x): x is T => x !== null);
type Capa = { _id: string; source: { type: string; id: string }; links: ChangeLink[] };

/** The CAPAs' change links, resolved. */
async function changesOf(s: Services, capaIds: string[]) {
  const capas = await s.db
    .collection<Capa>('capas')
    .find({ _id: { $in: capaIds } })
    .toArray();
  return present(await Promise.all(capas.flatMap((c) => c.links.map((l) => changeRef(s, l)))));
}

/** From a complaint: its lot and DHR, the NCs (linked or opened from it), the CAPAs, the changed documents. */
export async function complaintLoop(
  s: Services,
  c: { _id: string; lotId: string | null; workOrderId: string | null; ncId: string | null; capaId: string | null },
) {
  const lot = c.lotId ? await state<{ lotNumber: string; status: string }>(s, 'lot', c.lotId) : undefined;
  const wo = c.workOrderId ? await state<{ number: string; state: string }>(s, 'workorder', c.workOrderId) : undefined;
  const opened = await s.db
    .collection<{ _id: string; capaId: string | null }>('nonconformances')
    .find({ 'source.kind': 'complaint', 'source.complaintId': c._id })
    .toArray();
  const ncIds = uniq([c.ncId, ...opened.map((n) => n._id)]);
  const ncs = present(await Promise.all(ncIds.map((id) => ncRef(s, id))));
  const ncCapas = await s.db
    .collection<{ _id: string; capaId: string | null }>('nonconformances')
    .find({ _id: { $in: ncIds } })
    .toArray();
  const sourced = await s.db
    .collection<Capa>('capas')
    .find({
      $or: [
        { 'source.type': 'complaint', 'source.id': c._id },
        { 'source.type': 'nc', 'source.id': { $in: ncIds } },
      ],
    })
    .toArray();
  const capaIds = uniq([c.capaId, ...ncCapas.map((n) => n.capaId), ...sourced.map((x) => x._id)]);
  return {
    lot: lot && c.lotId ? { kind: 'lot', id: c.lotId, number: lot.lotNumber, title: null, state: lot.status } : null,
    dhr:
      wo && c.workOrderId
        ? { kind: 'workorder', id: c.workOrderId, number: wo.number, title: null, state: wo.state }
        : null,
    ncs,
    capas: present(await Promise.all(capaIds.map((id) => capaRef(s, id)))),
    changes: await changesOf(s, capaIds),
  };
}

/** From a CAPA: its sources (the one it was opened from, and the NCs and complaints that link it) and the changes it caused. */
export async function capaLoop(
  s: Services,
  c: { _id: string; source: { type: string; id: string }; links: ChangeLink[] },
) {
  const primary =
    c.source.type === 'nc'
      ? await ncRef(s, c.source.id)
      : c.source.type === 'complaint'
        ? await complaintRef(s, c.source.id)
        : ({ kind: c.source.type, id: c.source.id, number: c.source.id, title: null, state: null } as LinkRef);
  const ncs = await s.db.collection<{ _id: string }>('nonconformances').find({ capaId: c._id }).toArray();
  const complaints = await s.db.collection<{ _id: string }>('complaints').find({ capaId: c._id }).toArray();
  const others = present(
    await Promise.all([
      ...ncs.filter((n) => n._id !== c.source.id).map((n) => ncRef(s, n._id)),
      ...complaints.filter((x) => x._id !== c.source.id).map((x) => complaintRef(s, x._id)),
    ]),
  );
  return {
    sources: present([primary, ...others]),
    changes: present(await Promise.all(c.links.map((l) => changeRef(s, l)))),
  };
}

/** From an NC: the complaint it was opened from (if any) and its CAPAs (linked, or opened from it). */
export async function ncLoop(s: Services, n: { _id: string; source: { kind: string }; capaId: string | null }) {
  const src = n.source as { kind: string; complaintId?: string };
  const sourced = await s.db
    .collection<{ _id: string }>('capas')
    .find({ 'source.type': 'nc', 'source.id': n._id })
    .toArray();
  const capaIds = uniq([n.capaId, ...sourced.map((c) => c._id)]);
  return {
    complaint: src.kind === 'complaint' && src.complaintId ? await complaintRef(s, src.complaintId) : null,
    capas: present(await Promise.all(capaIds.map((id) => capaRef(s, id)))),
  };
}

/**
 * The quality events about one product (its NCs by affected item, its complaints by device) and
 * the CAPAs they link: what a CAPA register filtered by product shows (a CAPA has no product of
 * its own; it has one through its source).
 */
export async function qualityEventsOfProduct(s: Services, itemId: string) {
  const project = { projection: { _id: 1, capaId: 1 } };
  const ncs = await s.db
    .collection<{ _id: string; capaId: string | null }>('nonconformances')
    .find({ 'item.id': itemId }, project)
    .toArray();
  const complaints = await s.db
    .collection<{ _id: string; capaId: string | null }>('complaints')
    .find({ 'device.itemId': itemId }, project)
    .toArray();
  const events = [...ncs, ...complaints];
  return {
    sourceIds: events.map((e) => e._id),
    linkedCapaIds: uniq(events.map((e) => e.capaId)),
  };
}
