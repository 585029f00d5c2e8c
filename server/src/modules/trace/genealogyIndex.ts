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
interface WoEdges {
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
}
const indexes = new WeakMap<Services, Promise<Indexes>>();

function genealogyIndexes(s: Services): Promise<Indexes> {
  let ready = indexes.get(s);
  if (!ready) {
    const lots = new ProjectionIndex(s, lotRecord, (d) => summarizeLot(d as LotDoc));
    const wos = new ProjectionIndex(s, workOrderRecord, (d) => summarizeWo(d as WorkOrderDoc));
    ready = Promise.all([lots.refreshAll(), wos.refreshAll()]).then(() => ({ lots, wos }));
    ready.catch(() => indexes.delete(s));
    indexes.set(s, ready);
  }
  // level with other servers' writes before every read: one _id lookup per index when nothing changed
  return ready.then((i) => Promise.all([i.lots.catchUp(), i.wos.catchUp()]).then(() => i));
}

/** Loads the index at start-up (the routes call it), so that the first trace does not pay for it. */
export function warmGenealogyIndex(s: Services) {
  genealogyIndexes(s).catch((err) => s.logger.warn({ err }, 'genealogy index: first load failed (retried on use)'));
}

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
};

/** The graph, as of now: lots by id, by number, supplier lot and serial; the edges both ways. */
export async function genealogyGraph(s: Services) {
  const { lots, wos } = await genealogyIndexes(s);
  const lotMaps = lots.memo('graph', (rows) => {
    const byId = new Map<string, TraceLotDoc>();
    const byLotNumber = new Map<string, TraceLotDoc[]>();
    const bySupplierLot = new Map<string, TraceLotDoc[]>();
    const bySerial = new Map<string, TraceLotDoc[]>();
    const producedBy = new Map<string, TraceLotDoc[]>(); // work order → the lots it produced
    for (const l of rows) {
      byId.set(l._id, l);
      push(byLotNumber, l.lotNumber, l);
      if (l.supplierLot) push(bySupplierLot, l.supplierLot, l);
      if (l.serial) push(bySerial, l.serial, l);
      if (l.workOrderId) push(producedBy, l.workOrderId, l);
    }
    return { byId, byLotNumber, bySupplierLot, bySerial, producedBy };
  });
  const consumedBy = wos.memo('consumedBy', (rows) => {
    const m = new Map<string, string[]>(); // lot → the work orders whose materials name it
    for (const w of rows) for (const lotId of w.lotIds) push(m, lotId, w.id);
    return m;
  });
  return { ...lotMaps, consumedBy };
}

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
