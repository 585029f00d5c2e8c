import type { Filter } from 'mongodb';
import type { Services } from '../platform/services.ts';
import type { SessionUser } from '../identity/sessionUser.ts';
import type { Blocker } from './lifecycle.ts';

// What a bounded context contributes to the views that span contexts: the task inbox (GET /tasks)
// and the auditor portal's scope. The inbox and the portal iterate what is registered here and
// know no module; each module declares its part in a small file of its own folder (tasks.ts,
// portalScope.ts), and server/src/modules/contributions.ts registers them all in one list.
// (Export kinds register the same way, through exports/kinds.ts.)

type Bilingual = { zh: string; en: string };

/** One thing waiting for the user; `link` names the client route that opens it. */
export interface Task {
  id: string;
  kind: string;
  number: string;
  title: Bilingual;
  revision: string;
  due: string | null;
  documentId?: string;
  link: { route: string; id: string };
  /** The user would be refused now (records/lifecycle.ts explainedActions): why, and the page that fixes it. */
  blockedBy?: Blocker;
  /** The task of someone who delegated it to the user (issue 15 item 6): sign it on their behalf. */
  onBehalfOf?: { id: string; name: string; delegationId: string };
}

export interface TaskSource {
  /** Every kind of task this source can give (the inbox's response schema lists them). */
  kinds: readonly string[];
  tasksFor(s: Services, user: SessionUser): Promise<Task[]>;
}

/** A record as its projection stores it (what the portal shows, without storage internals). */
export interface ScopedDoc {
  _id: string;
  ledgerVersion: number;
  [field: string]: unknown;
}

/**
 * How one record type takes part in an audit grant over finished devices (the portal's scope):
 * which of its records the devices reach directly, which records of other types each brings in
 * (a DMR its work instructions, a work order its lots), and how an auditor recognises one.
 */
export interface PortalScopeSource<D extends ScopedDoc = ScopedDoc> {
  /** The record type (stream prefix); its projection collection comes from the record registry. */
  type: string;
  /** The records the granted devices reach directly: by id (indexed lookups), or a query (may read other collections). */
  reach?(
    itemIds: string[],
    s: Services,
  ): { ids: string[] } | { filter: Filter<ScopedDoc> } | Promise<{ ids: string[] } | { filter: Filter<ScopedDoc> }>;
  /** Records of other types this record brings into scope. */
  links?(d: D): Array<{ type: string; id: string }>;
  /** One line of the auditor's records list. */
  entry(d: D): { number: string; title: Bilingual | string; state: string };
}

/** A quality record that names a lot or serial unit (an NC's affected lots, a complaint's device lot). */
export interface LotReference {
  id: string;
  number: string;
  status: string;
  /** One line an operator recognises it by (an NC's description, a complaint's nature). */
  summary: string;
  link: { route: string; id: string };
}

/** How one record type lists the records of it that name a lot; the lot's trace view iterates these. */
export interface LotReferenceSource {
  kind: 'nc' | 'complaint';
  referencesTo(s: Services, lotId: string): Promise<LotReference[]>;
}

const taskSources: TaskSource[] = [];
const scopeSources: PortalScopeSource[] = [];

export function registerTaskSource(source: TaskSource) {
  if (!taskSources.includes(source)) taskSources.push(source);
}
export const allTaskSources = (): readonly TaskSource[] => taskSources;

export function registerPortalScope<D extends ScopedDoc>(source: PortalScopeSource<D>) {
  const known = scopeSources.find((x) => x.type === source.type);
  if (known && known !== (source as unknown)) throw new Error(`portal scope for ${source.type} is registered twice`);
  if (!known) scopeSources.push(source as unknown as PortalScopeSource);
}
const lotReferenceSources: LotReferenceSource[] = [];
export function registerLotReferences(source: LotReferenceSource) {
  const known = lotReferenceSources.find((x) => x.kind === source.kind);
  if (known && known !== source) throw new Error(`lot references for ${source.kind} are registered twice`);
  if (!known) lotReferenceSources.push(source);
}
export const allLotReferenceSources = (): readonly LotReferenceSource[] => lotReferenceSources;

/** The registered scope sources, in the order the auditor's list shows their types. */
export const allPortalScopes = (): readonly PortalScopeSource[] => scopeSources;

/**
 * Change control (ISO 13485:2016 7.3.9, 4.1.4): whether a document or DMR revision is named by an
 * open change request, asked by their submit and release paths. The changes module registers the
 * answer at boot, so documents and DMRs never import it (no module cycle); unregistered: never held.
 */
export type RevisionHold = (
  s: Services,
  kind: 'document' | 'dmr',
  id: string,
  revision: string,
) => Promise<{ id: string; number: string } | null>;
let revisionHold: RevisionHold | null = null;
export function registerRevisionHold(hold: RevisionHold) {
  revisionHold = hold;
}
export const revisionHeldBy: RevisionHold = (s, kind, id, revision) =>
  revisionHold ? revisionHold(s, kind, id, revision) : Promise.resolve(null);

/**
 * Change control (ISO 13485:2016 7.3.9: the effect of a change on product in process): whether a
 * work order is held by a change that decided "hold" for it and is not yet implemented or
 * cancelled, asked by the work order's step and completion paths. Registered by the changes module.
 */
export type WorkOrderHold = (s: Services, workOrderId: string) => Promise<{ id: string; number: string } | null>;
let workOrderHold: WorkOrderHold | null = null;
export function registerWorkOrderHold(hold: WorkOrderHold) {
  workOrderHold = hold;
}
export const workOrderHeldBy: WorkOrderHold = (s, id) => (workOrderHold ? workOrderHold(s, id) : Promise.resolve(null));

/** One hit of the global search (GET /search): `link` names the client route that opens it (null: none to open). */
export interface SearchHit {
  id: string;
  number: string;
  title: Bilingual;
  state: string;
  link: { route: string; params: Record<string, string>; query?: Record<string, string> } | null;
}
/** What was typed, and the GS1 element strings read from it when it is a scanned UDI. */
export interface SearchTerms {
  text: string;
  udi: { gtin?: string; lot?: string; serial?: string } | null;
}
/** How one record type takes part in the global search: who may see it, and its hits from the database. */
export interface SearchSource {
  kind: string;
  readable(user: SessionUser): boolean;
  search(s: Services, terms: SearchTerms, limit: number): Promise<SearchHit[]>;
}
const searchSources: SearchSource[] = [];
export function registerSearchSource(source: SearchSource) {
  const known = searchSources.find((x) => x.kind === source.kind);
  if (known && known !== source) throw new Error(`search source ${source.kind} is registered twice`);
  if (!known) searchSources.push(source);
}
export const allSearchSources = (): readonly SearchSource[] => searchSources;
