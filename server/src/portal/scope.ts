import type { Services } from '../platform/services.ts';
import { recordTypeOf, streamOf } from '../records/registry.ts';
import { allPortalScopes, type PortalScopeSource, type ScopedDoc } from '../records/contributions.ts';
import type { GrantState } from './grant.record.ts';

// What a grant lets an auditor see, resolved afresh on each request from the finished devices it
// names. Each record type that takes part registers how (records/contributions.ts; today: the
// items themselves, their DMRs and the work instructions a DMR's routing names, the work orders
// (DHRs) of those items, their lots and serials and the lots they consumed). Nothing else is
// reachable through the portal.
/** The record types an auditor may see, in the order their records are listed. */
export const scopeTypes = (): string[] => allPortalScopes().map((x) => x.type);

type Bilingual = { zh: string; en: string };
export interface ScopeEntry {
  stream: string;
  type: string;
  id: string;
  number: string;
  title: Bilingual | string;
  state: string;
  ledgerVersion: number;
}

function sourceOf(type: string): PortalScopeSource {
  const source = allPortalScopes().find((x) => x.type === type);
  if (!source) throw new Error(`no portal scope registered for ${type}`);
  return source;
}
/** A scope type's projection collection, as its record type declares it. */
const collectionOf = (s: Services, type: string) => {
  const t = recordTypeOf(streamOf(type, ''));
  if (!t) throw new Error(`portal scope ${type} is not a record type`);
  return s.db.collection<ScopedDoc>(t.collection);
};

function entryOf(type: string, d: ScopedDoc): ScopeEntry {
  return { stream: streamOf(type, d._id), type, id: d._id, ledgerVersion: d.ledgerVersion, ...sourceOf(type).entry(d) };
}

export class Scope {
  constructor(readonly entries: Map<string, ScopeEntry>) {}
  has(stream: string) {
    return this.entries.has(stream);
  }
  get(stream: string) {
    return this.entries.get(stream);
  }
  list(type?: string): ScopeEntry[] {
    const types = scopeTypes();
    const order = (e: ScopeEntry) => types.indexOf(e.type);
    return [...this.entries.values()]
      .filter((e) => !type || e.type === type)
      .sort((a, b) => order(a) - order(b) || (a.number < b.number ? -1 : a.number > b.number ? 1 : 0));
  }
  streams(): string[] {
    return [...this.entries.keys()].sort();
  }
}

/**
 * The records the grant's devices reach directly, type by type, then the records those bring in
 * (links), once each. _id lookups are indexed on the embedded engine; a query on another field is
 * a scan of a small collection (fine at one company's scale).
 */
export async function resolveScope(s: Services, grant: Pick<GrantState, 'scope'>): Promise<Scope> {
  const entries = new Map<string, ScopeEntry>();
  const reached: Array<{ type: string; d: ScopedDoc }> = [];
  const add = (type: string, d: ScopedDoc | null) => {
    if (!d) return;
    entries.set(streamOf(type, d._id), entryOf(type, d));
    reached.push({ type, d });
  };
  const byIds = async (type: string, ids: Iterable<string>) => {
    for (const id of new Set(ids))
      if (!entries.has(streamOf(type, id))) add(type, await collectionOf(s, type).findOne({ _id: id }));
  };
  const itemIds = grant.scope.items.map((i) => i.id);
  for (const source of allPortalScopes()) {
    const how = await source.reach?.(itemIds, s);
    if (!how) continue;
    if ('ids' in how) await byIds(source.type, how.ids);
    else (await collectionOf(s, source.type).find(how.filter).toArray()).forEach((d) => add(source.type, d));
  }
  // links of the records reached directly (and of any they bring in)
  for (let i = 0; i < reached.length; i++) {
    const { type, d } = reached[i];
    const links = sourceOf(type).links?.(d) ?? [];
    for (const link of links) if (link.id) await byIds(link.type, [link.id]);
  }
  return new Scope(entries);
}

/** The projection as an auditor sees it: the record's fields, without storage internals. */
export async function scopedRecord(s: Services, entry: ScopeEntry): Promise<Record<string, unknown> | null> {
  const d = await collectionOf(s, entry.type).findOne({ _id: entry.id });
  if (!d) return null;
  const { _id, ledgerVersion, ...fields } = d;
  const visible = Object.fromEntries(Object.entries(fields).filter(([k]) => !k.startsWith('_')));
  return { id: _id, stream: entry.stream, type: entry.type, ledgerVersion, ...visible };
}
