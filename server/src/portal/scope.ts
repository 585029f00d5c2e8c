import type { Services } from '../platform/services.ts';
import { streamOf } from '../records/registry.ts';
import type { GrantState } from './grant.record.ts';

// What a grant lets an auditor see, resolved afresh on each request from the finished devices
// it names: the items themselves, their DMRs, the work-instruction documents any DMR revision's
// routing names, the work orders (DHRs) of those items, their output lots/serials and the lots
// those work orders consumed. Nothing else is reachable through the portal.
export const SCOPE_TYPES = ['item', 'dmr', 'document', 'workorder', 'lot'] as const;
export type ScopeType = (typeof SCOPE_TYPES)[number];

type Bilingual = { zh: string; en: string };
export interface ScopeEntry {
  stream: string; type: ScopeType; id: string; number: string; title: Bilingual | string; state: string; ledgerVersion: number;
}
type Doc = Record<string, any> & { _id: string; ledgerVersion: number };

const COLLECTIONS: Record<ScopeType, string> = { item: 'items', dmr: 'dmrs', document: 'documents', workorder: 'workorders', lot: 'lots' };

/** One line of the records list, per type: what an auditor needs to recognise the record. */
function entryOf(type: ScopeType, d: Doc): ScopeEntry {
  const base = { stream: streamOf(type, d._id), type, id: d._id, ledgerVersion: d.ledgerVersion };
  switch (type) {
    case 'item': return { ...base, number: d.partNumber, title: d.name, state: d.active === false ? 'inactive' : 'active' };
    case 'dmr': return { ...base, number: `DMR ${d.item?.partNumber ?? ''} ${d.revision ?? ''}`.trim(), title: d.item?.name ?? '', state: d.state };
    case 'document': return { ...base, number: `${d.number} ${d.revision ?? ''}`.trim(), title: d.title, state: d.state };
    case 'workorder': return { ...base, number: d.number, title: d.item?.name ?? '', state: d.state };
    case 'lot': return { ...base, number: d.serial ?? d.lotNumber, title: d.item?.name ?? '', state: d.status };
  }
}

export class Scope {
  constructor(readonly entries: Map<string, ScopeEntry>) {}
  has(stream: string) { return this.entries.has(stream); }
  get(stream: string) { return this.entries.get(stream); }
  list(type?: ScopeType): ScopeEntry[] {
    const order = (e: ScopeEntry) => SCOPE_TYPES.indexOf(e.type);
    return [...this.entries.values()].filter((e) => !type || e.type === type)
      .sort((a, b) => order(a) - order(b) || (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
  }
  streams(): string[] { return [...this.entries.keys()].sort(); }
}

export async function resolveScope(s: Services, grant: Pick<GrantState, 'scope'>): Promise<Scope> {
  const entries = new Map<string, ScopeEntry>();
  const col = (t: ScopeType) => s.db.collection<Doc>(COLLECTIONS[t]);
  const add = (t: ScopeType, d: Doc | null) => { if (d) entries.set(streamOf(t, d._id), entryOf(t, d)); };
  // _id lookups are indexed on the embedded engine; a filter on another field is a scan of a
  // small collection (fine at one company's scale)
  const byIds = async (t: ScopeType, ids: Iterable<string>) => {
    for (const id of new Set(ids)) if (!entries.has(streamOf(t, id))) add(t, await col(t).findOne({ _id: id }));
  };
  const itemIds = grant.scope.items.map((i) => i.id);
  await byIds('item', itemIds);

  const dmrs = await col('dmr').find({ itemId: { $in: itemIds } }).toArray();
  dmrs.forEach((d) => add('dmr', d));
  const instructions = dmrs.flatMap((d) => (d.revisions ?? []).flatMap((r: any) => (r.content?.routing ?? []).map((op: any) => op.workInstructionId)));
  await byIds('document', instructions.filter((x): x is string => typeof x === 'string' && x.length > 0));

  const workOrders = await col('workorder').find({ 'item.id': { $in: itemIds } }).toArray();
  workOrders.forEach((w) => add('workorder', w));
  (await col('lot').find({ 'item.id': { $in: itemIds } }).toArray()).forEach((l) => add('lot', l));
  const lotIds = workOrders.flatMap((w) => [...(w.output?.lotIds ?? []), ...(w.materials ?? []).map((m: any) => m.lotId)]);
  await byIds('lot', lotIds.filter((x): x is string => typeof x === 'string' && x.length > 0));
  return new Scope(entries);
}

/** The projection as an auditor sees it: the record's fields, without storage internals. */
export async function scopedRecord(s: Services, entry: ScopeEntry): Promise<Record<string, unknown> | null> {
  const d = await s.db.collection<Doc>(COLLECTIONS[entry.type]).findOne({ _id: entry.id });
  if (!d) return null;
  const { _id, ledgerVersion, ...fields } = d;
  const visible = Object.fromEntries(Object.entries(fields).filter(([k]) => !k.startsWith('_')));
  return { id: _id, stream: entry.stream, type: entry.type, ledgerVersion, ...visible };
}
