import type { Collection, Document } from 'mongodb';
import type { Services } from '../../platform/services.ts';
import { ProjectionIndex } from '../../records/memoryIndex.ts';
import { lotRecord, type LotDoc } from '../inventory/lot.record.ts';
import { workOrderRecord } from '../production/workorder.record.ts';
import type { WorkOrderDoc } from '../production/workorder.model.ts';

// The genealogy graph held in process (records/memoryIndex.ts). The embedded engine answers only
// `_id` equality from an index: `materials.lotId $in`, `workOrderId $in` and the lot-number lookup
// each decoded the whole lots or work-order collection, movement histories included, once per
// level (bench/traceForward: p95 5.9 s for 500 units). So the trace walks these summaries, kept
// current after every append to a lot or work-order stream (after the projector: listeners run in
// order) and levelled with other servers' appends through the index_changes feed before each read:
//   lots:        the lot's projection without its movement history, pending command and last
//                signature (what a trace shows of a lot: no read at all for lots);
//   work orders: only the edges (which lots each consumed), the rows read by `_id`.

/** A lot as the trace reads it: the projection without the fields a trace never shows. */
export type TraceLotDoc = Omit<LotDoc, 'movements' | 'pending' | 'lastSignature'>;
export interface WoEdges {
  id: string;
  lotIds: string[];
}

// lots of one item share their item snapshot (10,000 serials, one object)
const items = new Map<string, TraceLotDoc['item']>();
function summarizeLot(d: LotDoc): TraceLotDoc {
  const { movements: _m, pending: _p, lastSignature: _s, ...rest } = d;
  const key = JSON.stringify(rest.item);
  let item = items.get(key);
  if (!item) {
    item = rest.item;
    if (items.size > 10_000) items.clear();
    items.set(key, item);
  }
  return { ...rest, item };
}
const summarizeWo = (d: WorkOrderDoc): WoEdges => ({
  id: d._id,
  lotIds: [...new Set((d.materials ?? []).map((m) => m.lotId))],
});

interface Indexes {
  lots: ProjectionIndex<TraceLotDoc>;
  wos: ProjectionIndex<WoEdges>;
  graph: Graph;
}
const indexes = new WeakMap<Services, Promise<Indexes>>();

/** One change the graph applied: a lot's or a work order's summary before and after (undefined: new, or gone). */
export type GraphChange =
  | { gen: number; kind: 'lot'; id: string; before?: TraceLotDoc; after?: TraceLotDoc }
  | { gen: number; kind: 'wo'; id: string; before?: WoEdges; after?: WoEdges };
/** How many changes the graph remembers for the caches built on it (an older cache is recomputed). */
const LOG_SIZE = 4096;

/**
 * The genealogy graph, kept up to date from the changed record alone (memoryIndex `onChange`): a
 * lot's change moves it in the maps it is in, a work order's change moves its consumption edges;
 * nothing is rebuilt but on a full reload of an index (`onReset`). `gen` counts the changes, `log`
 * holds the last LOG_SIZE of them, so that a trace computed at generation n can be patched with
 * the changes since (genealogy.ts forwardCache) instead of computed again.
 */
export class Graph {
  byId = new Map<string, TraceLotDoc>();
  byLotNumber = new Map<string, Map<string, TraceLotDoc>>();
  bySupplierLot = new Map<string, Map<string, TraceLotDoc>>();
  bySerial = new Map<string, Map<string, TraceLotDoc>>();
  /** work order → the lots it produced */
  producedBy = new Map<string, Map<string, TraceLotDoc>>();
  /** lot → the work orders whose materials name it */
  consumedBy = new Map<string, Set<string>>();
  gen = 0;
  /** changes before this generation are not in the log (a reload, or too many) */
  floor = 0;
  private log: GraphChange[] = [];

  rebuild(lots: Iterable<TraceLotDoc>, wos: Iterable<WoEdges>) {
    for (const m of [this.byId, this.byLotNumber, this.bySupplierLot, this.bySerial, this.producedBy, this.consumedBy])
      m.clear();
    for (const l of lots) this.addLot(l);
    for (const w of wos) this.addWo(w);
    this.gen++;
    this.floor = this.gen;
    this.log = [];
  }
  lotChanged(id: string, before?: TraceLotDoc, after?: TraceLotDoc) {
    if (before) this.removeLot(before);
    if (after) this.addLot(after);
    this.record({ gen: ++this.gen, kind: 'lot', id, before, after });
  }
  woChanged(id: string, before?: WoEdges, after?: WoEdges) {
    if (before) for (const lotId of before.lotIds) this.consumedBy.get(lotId)?.delete(id);
    if (after) this.addWo(after);
    this.record({ gen: ++this.gen, kind: 'wo', id, before, after });
  }
  /** The changes after generation `gen`, oldest first; null when the log no longer reaches back to it. */
  changesSince(gen: number): GraphChange[] | null {
    if (gen < this.floor) return null;
    if (gen === this.gen) return [];
    let k = this.log.length;
    while (k > 0 && this.log[k - 1].gen > gen) k--;
    return this.log.slice(k);
  }

  private record(c: GraphChange) {
    this.log.push(c);
    if (this.log.length > LOG_SIZE) {
      const dropped = this.log.splice(0, this.log.length - LOG_SIZE / 2);
      this.floor = dropped[dropped.length - 1].gen;
    }
  }
  private addLot(l: TraceLotDoc) {
    this.byId.set(l._id, l);
    put(this.byLotNumber, l.lotNumber, l);
    if (l.supplierLot) put(this.bySupplierLot, l.supplierLot, l);
    if (l.serial) put(this.bySerial, l.serial, l);
    if (l.workOrderId) put(this.producedBy, l.workOrderId, l);
  }
  private removeLot(l: TraceLotDoc) {
    if (this.byId.get(l._id) === l) this.byId.delete(l._id);
    take(this.byLotNumber, l.lotNumber, l._id);
    if (l.supplierLot) take(this.bySupplierLot, l.supplierLot, l._id);
    if (l.serial) take(this.bySerial, l.serial, l._id);
    if (l.workOrderId) take(this.producedBy, l.workOrderId, l._id);
  }
  private addWo(w: WoEdges) {
    for (const lotId of w.lotIds) {
      let set = this.consumedBy.get(lotId);
      if (!set) this.consumedBy.set(lotId, (set = new Set()));
      set.add(w.id);
    }
  }
}
const put = (m: Map<string, Map<string, TraceLotDoc>>, k: string, l: TraceLotDoc) => {
  let inner = m.get(k);
  if (!inner) m.set(k, (inner = new Map()));
  inner.set(l._id, l);
};
const take = (m: Map<string, Map<string, TraceLotDoc>>, k: string, id: string) => {
  const inner = m.get(k);
  if (!inner) return;
  inner.delete(id);
  if (!inner.size) m.delete(k);
};

function genealogyIndexes(s: Services): Promise<Indexes> {
  let ready = indexes.get(s);
  if (!ready) {
    const lots = new ProjectionIndex(s, lotRecord, (d) => summarizeLot(d as LotDoc));
    const wos = new ProjectionIndex(s, workOrderRecord, (d) => summarizeWo(d as WorkOrderDoc));
    const graph = new Graph();
    let built = false;
    // each change moves only the changed record in the graph; a reload of either index rebuilds it
    lots.onChange((id, before, after) => built && graph.lotChanged(id, before, after));
    wos.onChange((id, before, after) => built && graph.woChanged(id, before, after));
    const reset = () => built && graph.rebuild(lots.values(), wos.values());
    lots.onReset(reset);
    wos.onReset(reset);
    ready = Promise.all([lots.refreshAll(), wos.refreshAll()]).then(() => {
      graph.rebuild(lots.values(), wos.values());
      built = true;
      return { lots, wos, graph };
    });
    ready.catch(() => indexes.delete(s));
    indexes.set(s, ready);
  }
  // level with other servers' writes before every read (no round trip when nothing changed anywhere)
  return ready.then((i) => Promise.all([i.lots.catchUp(), i.wos.catchUp()]).then(() => i));
}

/** Loads the index at start-up (the routes call it), so that the first trace does not pay for it. */
export function warmGenealogyIndex(s: Services) {
  genealogyIndexes(s).catch((err) => s.logger.warn({ err }, 'genealogy index: first load failed (retried on use)'));
}

/** The graph, as of now (kept current: see Graph). Callers read it and must not change it. */
export async function genealogyGraph(s: Services): Promise<Graph> {
  return (await genealogyIndexes(s)).graph;
}

/** The values of one key of a graph map, as a list. */
export const listOf = <V>(m: Map<string, Map<string, V>>, k: string): V[] => [...(m.get(k)?.values() ?? [])];

/**
 * Rows of a collection by `_id`, one indexed lookup each (a `$in` is not answered from an index by
 * the embedded engine), a bounded number in flight; unknown ids are left out, order as asked.
 */
export async function byIds<T extends Document>(
  col: Collection<T>,
  ids: string[],
  projection?: Record<string, 0 | 1>,
): Promise<T[]> {
  const out: Array<T | null> = new Array(ids.length).fill(null);
  let next = 0;
  const worker = async () => {
    for (let k = next++; k < ids.length; k = next++)
      out[k] = (await col.findOne({ _id: ids[k] } as never, projection ? { projection } : {})) as T | null;
  };
  await Promise.all(Array.from({ length: Math.min(16, ids.length) }, worker));
  return out.filter((x): x is T => x !== null);
}
