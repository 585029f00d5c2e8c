import { z } from 'zod';
import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { msg } from '../../platform/schemas.ts';
import { declareIndexes } from '../../platform/db/mongo.ts';
import { LOTS } from '../inventory/lot.record.ts';
import { WORKORDERS, type WorkOrderDoc } from '../production/workorder.model.ts';
import { workOrders } from '../production/service.ts';
import { purchaseOrders } from '../purchasing/service.ts';
import { inspections } from '../inspection/service.ts';
import { equipment } from '../equipment/service.ts';
import { customers } from '../items/service.ts';
import { TRAININGS, trainingId, type TrainingDoc } from '../training/training.record.ts';
import { byIds, genealogyGraph, listOf, type Graph, type GraphChange, type TraceLotDoc } from './genealogyIndex.ts';
import { INDEX_CHANGES } from '../../records/memoryIndex.ts';
import { CUSTOMERS } from '../items/item.record.ts';

// Genealogy (ISO 13485:2016 7.5.9.1 traceability; 7.5.9.2 for implantable/active devices: the
// components, materials and work environment used, and the consignee of each shipment; QMSR
// 820.184 the DHR). Both directions walk the same two edges, held in process (genealogyIndex.ts:
// the embedded engine scans a whole collection for any filter but `_id` equality):
//   consumed:  lot ──(workorders.materials.lotId)──▶ work order
//   produced:  work order ──(lots.workOrderId)──▶ lot / serial
// Lots come from the index itself; work orders and the other neighbours are read by `_id`.
// A lot's moves keep its id (inventory has no split that makes a new lot), so a partly issued lot
// is one node with one edge per work order that took from it, each with its quantity. Rework that
// feeds a lot back into an order is followed once (visited sets end any cycle).

// (the database indexes serve other readers on MongoDB; the trace walks the in-process index)
declareIndexes(WORKORDERS, [{ key: { 'materials.lotId': 1 }, name: 'trace_material_lot' }]);
declareIndexes(LOTS, [
  { key: { workOrderId: 1 }, name: 'trace_work_order' },
  { key: { supplierLot: 1 }, name: 'trace_supplier_lot' },
]);

/** How deep a trace follows sub-assemblies (a bound, not a design limit: real BOMs are a few levels). */
export const MAX_DEPTH = 20;

const Ref = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/,
    msg(
      'a lot id, lot number or serial: letters, digits, . _ : / -',
      '批次 ID、批号或序列号:只能包含字母、数字和 . _ : / -',
    ),
  );
export const BackwardQuery = z
  .object({ lot: Ref.optional(), serial: Ref.optional() })
  .strict()
  .refine((q) => !!q.lot !== !!q.serial, {
    message: msg('name a lot or a serial (one of them)', '请指定批次或序列号(二者之一)'),
    path: ['lot'],
  });
/** A bounded whole number given as query text (offset/limit of a page of rows). */
const WholeText = (max: number) =>
  z
    .string()
    .regex(/^\d{1,7}$/, msg(`a whole number from 0 to ${max}`, `应为 0 到 ${max} 的整数`))
    .transform(Number)
    .pipe(z.number().int().min(0).max(max));
/** Rows one answer carries at most (the screen's page; the exports read the whole trace in process). */
export const FORWARD_PAGE_MAX = 5000;
export const FORWARD_PAGE_DEFAULT = 200;
export const ForwardQuery = z.object({ lot: Ref }).strict();
export const ForwardPageQuery = z
  .object({
    lot: Ref,
    offset: WholeText(10_000_000).optional(),
    limit: WholeText(FORWARD_PAGE_MAX)
      .pipe(z.number().min(1, msg('at least 1 row', '至少 1 行')))
      .optional(),
  })
  .strict();

const WO_FIELDS = {
  number: 1,
  state: 1,
  item: 1,
  lotNumber: 1,
  plannedQuantity: 1,
  materials: 1,
  operations: 1,
  output: 1,
  release: 1,
  createdAt: 1,
} as const;

// what a trace reads of a lot: never its movement history (10,000 units must stay small)
type Lot = TraceLotDoc;
type Wo = Pick<
  WorkOrderDoc,
  | '_id'
  | 'number'
  | 'state'
  | 'item'
  | 'lotNumber'
  | 'plannedQuantity'
  | 'materials'
  | 'operations'
  | 'output'
  | 'release'
  | 'createdAt'
>;

const link = (route: string, id: string) => ({ route, id });

/** Where a unit is now, from its lot's status, balances and shipment. */
export function whereabouts(l: Lot) {
  const base = { status: l.status, quantity: l.quantity, locations: l.balances.map((b) => ({ ...b })) };
  switch (l.status) {
    case 'shipped':
      return {
        ...base,
        state: 'shipped' as const,
        customer: l.shipment?.customer ?? null,
        shipDate: l.shipment?.shipDate ?? null,
        reference: l.shipment?.reference ?? null,
      };
    case 'on_hold':
      // a unit received back on a return (modules/returns) is "returned" until its decision
      return l.returned
        ? { ...base, state: 'returned' as const, customer: l.returned.customer, rma: l.returned.rma }
        : { ...base, state: 'held' as const };
    case 'scrapped':
      return { ...base, state: 'scrapped' as const };
    case 'consumed':
      return { ...base, state: 'consumed' as const };
    case 'rejected':
    case 'expired':
      return { ...base, state: l.status };
    default:
      // released or quarantine: on a shelf (a returned unit, once returns exist, comes back as a lot status)
      return { ...base, state: l.quantity > 0 ? ('in_stock' as const) : ('consumed' as const) };
  }
}

const presentLotNode = (l: Lot) => ({
  id: l._id,
  lotNumber: l.lotNumber,
  serial: l.serial,
  kind: l.kind,
  item: { id: l.item.id, partNumber: l.item.partNumber, name: l.item.name, unit: l.item.unit },
  initialQuantity: l.initialQuantity,
  workOrderId: l.workOrderId,
  supplier: l.supplier,
  supplierLot: l.supplierLot,
  expiryDate: l.expiryDate,
  where: whereabouts(l),
  link: link('lot', l._id),
});
export type TraceLot = ReturnType<typeof presentLotNode>;

/** Work orders by id (one indexed read each), in the order asked. */
const findWos = (s: Services, ids: string[]): Promise<Wo[]> =>
  byIds(workOrders(s), ids, WO_FIELDS) as unknown as Promise<Wo[]>;

/** The lots a trace starts from: a lot by id, lot number or supplier lot; or a serial. Unknown → 404. */
export async function startLots(s: Services, q: { lot?: string; serial?: string }, graph?: Graph): Promise<Lot[]> {
  const g = graph ?? (await genealogyGraph(s));
  let found: Lot[];
  if (q.serial) found = listOf(g.bySerial, q.serial);
  else {
    const byId = g.byId.get(q.lot!);
    found = [
      ...new Set([...(byId ? [byId] : []), ...listOf(g.byLotNumber, q.lot!), ...listOf(g.bySupplierLot, q.lot!)]),
    ];
  }
  if (!found.length) throw errors.notFound(q.serial ? 'serial' : 'lot');
  const exact = found.filter((l) => l._id === q.lot);
  return (exact.length ? exact : found).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export interface Row {
  depth: number;
  type: 'lot' | 'workorder' | 'step';
  id: string;
  number: string;
  item: string;
  quantity: number | null;
  unit: string;
  detail: string;
  state: string;
  link: { route: string; id: string } | null;
}

const lotDetail = (l: TraceLot) => {
  const w = l.where;
  if (w.state === 'shipped') return `${w.customer ?? ''} ${w.shipDate ?? ''}`.trim();
  return w.locations.map((b) => `${b.location}: ${b.quantity}`).join(', ');
};
const lotRow = (l: TraceLot, depth: number, quantity: number | null): Row => ({
  depth,
  type: 'lot',
  id: l.id,
  number: l.serial ? `${l.lotNumber} / ${l.serial}` : l.lotNumber,
  item: l.item.partNumber,
  quantity,
  unit: l.item.unit,
  detail: lotDetail(l),
  state: l.where.state,
  link: l.link,
});
const woRow = (w: Wo, depth: number, quantity: number | null, unit: string): Row => ({
  depth,
  type: 'workorder',
  id: w._id,
  number: w.number,
  item: w.item.partNumber,
  quantity,
  unit,
  detail: w.lotNumber,
  state: w.state,
  link: link('workorder', w._id),
});

// ---------------------------------------------------------------- backward

export async function traceBackward(s: Services, q: { lot?: string; serial?: string }) {
  const g = await genealogyGraph(s);
  const start = await startLots(s, q, g);
  const lotById = new Map<string, Lot>(start.map((l) => [l._id, l]));
  const woById = new Map<string, Wo>();
  let frontier = start;
  for (let depth = 0; frontier.length && depth < MAX_DEPTH; depth++) {
    const woIds = [...new Set(frontier.map((l) => l.workOrderId).filter((x): x is string => !!x))].filter(
      (id) => !woById.has(id),
    );
    if (!woIds.length) break;
    const wos = await findWos(s, woIds);
    for (const w of wos) woById.set(w._id, w);
    const lotIds = [...new Set(wos.flatMap((w) => w.materials.map((m) => m.lotId)))].filter((id) => !lotById.has(id));
    frontier = lotIds.map((id) => g.byId.get(id)).filter((l): l is Lot => !!l);
    for (const l of frontier) lotById.set(l._id, l);
  }
  const allLots = [...lotById.values()];
  const allWos = [...woById.values()];

  // the neighbours of the received lots and of the steps, one query per kind
  const poIds = [...new Set(allLots.map((l) => l.po?.id).filter((x): x is string => !!x))];
  const inspIds = [...new Set(allLots.map((l) => l.inspectionId).filter((x): x is string => !!x))];
  const steps = allWos.flatMap((w) => w.operations.filter((op) => op.performed).map((op) => ({ w, op })));
  const eqIds = [...new Set(steps.flatMap(({ op }) => op.performed!.equipment.map((e) => e.id)))];
  const trIds = [
    ...new Set(
      steps
        .filter(({ op }) => op.trainingRequired && op.performed!.wiRevision)
        .map(({ op }) => trainingId(op.workInstructionId, op.performed!.wiRevision!, op.performed!.byId)),
    ),
  ];
  const [pos, insps, eqs, trs] = await Promise.all([
    byIds(purchaseOrders(s), poIds, { number: 1, supplier: 1, receipts: 1 }),
    byIds(inspections(s), inspIds, { number: 1, status: 1, result: 1, completedAt: 1, inspector: 1 }),
    byIds(equipment(s), eqIds, { code: 1, name: 1, status: 1, calibrations: 1 }),
    byIds(s.db.collection<TrainingDoc>(TRAININGS), trIds, { status: 1, completedAt: 1, revision: 1 }),
  ]);
  const poById = new Map(pos.map((p) => [p._id, p]));
  const inspById = new Map(insps.map((i) => [i._id, i]));
  const eqById = new Map(eqs.map((e) => [e._id, e]));
  const trById = new Map(trs.map((t) => [t._id, t]));

  const lotNodes = allLots.map((l) => {
    const po = l.po ? poById.get(l.po.id) : undefined;
    const receipt = po?.receipts.find((r) => r.id === l.receiptId);
    const insp = l.inspectionId ? inspById.get(l.inspectionId) : undefined;
    return {
      ...presentLotNode(l),
      coaRef: l.coaRef,
      po: po ? { id: po._id, number: po.number, link: link('purchase-order', po._id) } : null,
      receipt: receipt ? { id: receipt.id, at: receipt.at, by: receipt.by, location: receipt.location } : null,
      supplierLink: l.supplier ? link('supplier', l.supplier.code) : null,
      inspection: insp
        ? {
            id: insp._id,
            number: insp.number,
            status: insp.status,
            result: insp.result,
            completedAt: insp.completedAt,
            link: link('inspection', insp._id),
          }
        : null,
    };
  });
  const workOrderNodes = allWos.map((w) => ({
    id: w._id,
    number: w.number,
    state: w.state,
    item: { id: w.item.id, partNumber: w.item.partNumber, name: w.item.name },
    lotNumber: w.lotNumber,
    released: w.release ? { by: w.release.by, at: w.release.at } : null,
    link: link('workorder', w._id),
    dhr: link('workorder', w._id),
    materials: w.materials.map((m) => ({
      lotId: m.lotId,
      lotNumber: m.lotNumber,
      partNumber: m.partNumber,
      quantity: m.quantity,
      at: m.at,
    })),
    steps: w.operations
      .filter((op) => op.performed)
      .map((op) => {
        const p = op.performed!;
        const day = p.at.slice(0, 10);
        const tr =
          op.trainingRequired && p.wiRevision
            ? trById.get(trainingId(op.workInstructionId, p.wiRevision, p.byId))
            : undefined;
        return {
          seq: op.seq,
          name: op.name,
          workInstruction: { id: op.workInstructionId, number: op.workInstruction.number, revision: p.wiRevision },
          operator: { id: p.byId, name: p.by, at: p.at },
          // trained at the time: the training on the revision they worked to, completed before the step
          training: op.trainingRequired
            ? {
                required: true,
                trained: !!tr && tr.status === 'done' && !!tr.completedAt && tr.completedAt <= p.at,
                completedAt: tr?.completedAt ?? null,
              }
            : { required: false, trained: null, completedAt: null },
          verifiedBy: op.verified ? { id: op.verified.byId, name: op.verified.by, at: op.verified.at } : null,
          // calibrated at the time: the due date the step recorded was on or after the step's day
          equipment: p.equipment.map((e) => {
            const now = eqById.get(e.id);
            const lastPass = now?.calibrations
              .filter((c) => c.result === 'pass' && c.date <= day)
              .sort((a, b) => b.date.localeCompare(a.date))[0];
            return {
              id: e.id,
              code: e.code,
              name: e.name,
              calibrationDue: e.calibrationDue,
              calibratedAtTime: !!e.calibrationDue && e.calibrationDue >= day,
              lastCalibrationBefore: lastPass ? { date: lastPass.date, certificate: lastPass.certificate } : null,
              statusNow: now?.status ?? null,
              link: link('equipment-item', e.id),
            };
          }),
        };
      }),
  }));

  // rows: depth-first from each start lot: lot → its order → each consumed lot → its order …
  const lotMap = new Map(lotNodes.map((l) => [l.id, l]));
  const rows: Row[] = [];
  const seen = new Set<string>();
  const walk = (lotId: string, depth: number, quantity: number | null) => {
    const l = lotMap.get(lotId);
    if (!l) return;
    const row = lotRow(l, depth, quantity);
    if (l.supplier)
      row.detail = [l.supplier.code, l.supplierLot, l.po?.number, l.inspection?.number, l.coaRef]
        .filter(Boolean)
        .join(' · ');
    rows.push(row);
    const w = l.workOrderId ? woById.get(l.workOrderId) : undefined;
    if (!w || seen.has(w._id)) return;
    seen.add(w._id);
    rows.push(woRow(w, depth + 1, w.output?.goodQuantity ?? w.plannedQuantity, w.item.unit));
    const node = workOrderNodes.find((n) => n.id === w._id)!;
    for (const st of node.steps)
      rows.push({
        depth: depth + 2,
        type: 'step',
        id: `${w._id}:${st.seq}`,
        number: String(st.seq),
        item: st.workInstruction.number,
        quantity: null,
        unit: '',
        detail: [
          `${st.operator.name}${st.training.required ? (st.training.trained ? ' ✓' : ' ✗') : ''}`,
          ...st.equipment.map((e) => `${e.code}${e.calibratedAtTime ? ' ✓' : ' ✗'}`),
        ].join(' · '),
        state: st.verifiedBy ? 'verified' : 'performed',
        link: link('workorder', w._id),
      });
    for (const m of w.materials) walk(m.lotId, depth + 2, m.quantity);
  };
  for (const l of start) walk(l._id, 0, null);

  return {
    direction: 'backward' as const,
    start: start.map((l) => l._id),
    lots: lotNodes,
    workOrders: workOrderNodes,
    edges: allWos.flatMap((w) =>
      w.materials.map((m) => ({ lotId: m.lotId, workOrderId: w._id, quantity: m.quantity })),
    ),
    rows,
  };
}

// ---------------------------------------------------------------- forward

/**
 * The forward trace from `q.lot`: every lot the walk reaches, the orders between them, the rows of
 * the tree and the summary over the finished end. Computed once per state of the graph and kept
 * (see forwardCache): callers share the answer and must not change it.
 */
export async function traceForward(s: Services, q: { lot: string }): Promise<ForwardTrace> {
  const [g, customersSeq] = await Promise.all([genealogyGraph(s), changeSeq(s, CUSTOMERS)]);
  let traces = forwardCache.get(s);
  if (!traces) forwardCache.set(s, (traces = new Map()));
  const key = q.lot;
  let entry = traces.get(key);
  if (entry && entry.customersSeq === customersSeq && entry.gen !== g.gen) {
    // the graph changed since: patch the trace with the changes, or compute it again if they touch its shape
    const e = entry;
    const changes = g.changesSince(e.gen);
    const gen = g.gen;
    const patched = changes ? e.computed.then((c) => patchForward(s, q, c, changes)) : Promise.resolve(null);
    const next: ForwardEntry = {
      gen,
      customersSeq,
      computed: patched.then((p) => p ?? computeForward(s, q, g)),
    };
    traces.set(key, (entry = next));
    next.computed.catch(() => traces.get(key) === next && traces.delete(key));
  }
  if (!entry || entry.customersSeq !== customersSeq) {
    // the generation is taken before the walk: a change during it is applied again on the next read (harmless)
    const next: ForwardEntry = { gen: g.gen, customersSeq, computed: computeForward(s, q, g) };
    traces.set(key, (entry = next));
    if (traces.size > FORWARD_CACHE_SIZE) traces.delete(traces.keys().next().value!);
    next.computed.catch(() => traces.get(key) === next && traces.delete(key));
  }
  return (await entry.computed).trace;
}
const FORWARD_CACHE_SIZE = 32;
interface ForwardEntry {
  /** the graph generation the trace reflects, and the customers' change counter (names) */
  gen: number;
  customersSeq: number;
  computed: Promise<Computed>;
}
const forwardCache = new WeakMap<Services, Map<string, ForwardEntry>>();
/** The change counter of a collection in the index feed (one `_id` read; 0 before the first change). */
async function changeSeq(s: Services, collection: string): Promise<number> {
  const d = await s.db
    .collection<{ _id: string; seq?: number }>(INDEX_CHANGES)
    .findOne({ _id: collection }, { projection: { seq: 1 } });
  return d?.seq ?? 0;
}

/** How many forward traces were computed by a walk and how many patched from a cached one (the bench prints them). */
export const forwardStats = { computed: 0, patched: 0 };

/**
 * A trace's lots and rows, held in chunks of CHUNK: a patch copies only the chunks it changes (and
 * the short list of chunks), never the 10,000 rows, and never changes a chunk an earlier trace holds
 * (copy on write: an answer already handed out stays as it was). The trace's `lots` and `rows`
 * are made from the chunks when first read (exports, recalls); a page reads the chunks.
 */
const CHUNK = 256;
interface Parts {
  lots: ForwardLot[][];
  rows: Row[][];
  rowCount: number;
  /** where each lot is in the lots (chunk = position / CHUNK) */
  lotPos: Map<string, number>;
}
const partsOf = new WeakMap<ForwardTrace, Parts>();
const chunked = <T>(xs: T[]): T[][] => {
  const out: T[][] = [];
  for (let k = 0; k < xs.length; k += CHUNK) out.push(xs.slice(k, k + CHUNK));
  return out;
};
function makeTrace(base: Omit<ForwardTrace, 'lots' | 'rows'>, p: Parts): ForwardTrace {
  let lots: ForwardLot[] | undefined, rows: Row[] | undefined;
  const t = Object.defineProperties(
    { ...base },
    {
      lots: { enumerable: true, get: () => (lots ??= p.lots.flat()) },
      rows: { enumerable: true, get: () => (rows ??= p.rows.flat()) },
    },
  ) as ForwardTrace;
  partsOf.set(t, p);
  return t;
}

/** A trace and what patching it needs: where each lot is in `lots` and `rows`, the finished end, the customers' names. */
interface Computed {
  trace: ForwardTrace;
  parts: Parts;
  rowPos: Map<string, number>;
  woIds: Set<string>;
  ends: Set<string>;
  custName: Map<string, unknown>;
}

/**
 * The trace after `changes`, made from `c` without walking the graph again, or null when a change
 * touches its shape: an order of the trace changed (a new consumption, a state), a lot was produced
 * by one of its orders or left it, a start lot's names changed or a lot took the name traced. A
 * change to a lot in the trace (moved, shipped, held, returned) replaces that lot's node and row
 * (in a copy of their chunk) and moves the summary by that unit alone (its old state and customer
 * out, the new ones in); a change outside it costs nothing. The cost is that of the changed units.
 */
async function patchForward(
  s: Services,
  q: { lot: string },
  c: Computed,
  changes: GraphChange[],
): Promise<Computed | null> {
  const named = (l?: TraceLotDoc) => !!l && (l._id === q.lot || l.lotNumber === q.lot || l.supplierLot === q.lot);
  const replaced = new Map<string, TraceLotDoc>();
  for (const ch of changes) {
    if (ch.kind === 'wo') {
      if (c.woIds.has(ch.id)) return null;
      if ([...(ch.before?.lotIds ?? []), ...(ch.after?.lotIds ?? [])].some((id) => c.parts.lotPos.has(id))) return null;
      continue;
    }
    const { before, after } = ch;
    if (c.parts.lotPos.has(ch.id)) {
      if (!before || !after || before.workOrderId !== after.workOrderId) return null;
      if (c.trace.start.includes(ch.id) && named(before) !== named(after)) return null;
      replaced.set(ch.id, after);
    } else {
      if (named(before) || named(after)) return null;
      if (
        (after?.workOrderId && c.woIds.has(after.workOrderId)) ||
        (before?.workOrderId && c.woIds.has(before.workOrderId))
      )
        return null;
    }
  }
  if (!replaced.size) return c;
  forwardStats.patched++;
  let custName = c.custName;
  const unknown = [
    ...new Set(
      [...replaced.values()].map((l) => l.shipment?.customer).filter((x): x is string => !!x && !custName.has(x)),
    ),
  ];
  if (unknown.length) {
    custName = new Map(custName);
    for (const cu of await byIds(customers(s), unknown, { name: 1 })) custName.set(cu._id as string, cu.name);
  }
  // copy on write: the list of chunks, and each chunk the first time a change lands in it
  const lots = [...c.parts.lots];
  const rows = [...c.parts.rows];
  const copiedLots = new Set<number>(),
    copiedRows = new Set<number>();
  const put = <T>(chunks: T[][], copied: Set<number>, k: number, x: T) => {
    const ci = Math.floor(k / CHUNK);
    if (!copied.has(ci)) {
      chunks[ci] = [...chunks[ci]];
      copied.add(ci);
    }
    chunks[ci][k % CHUNK] = x;
  };
  const at = <T>(chunks: T[][], k: number) => chunks[Math.floor(k / CHUNK)][k % CHUNK];
  // the summary moved by the replaced finished units only (their old place out, their new one in)
  const prev = c.trace.summary;
  const states = { ...prev.states };
  const byCode = new Map(prev.customers.map((cu) => [cu.code, cu]));
  const copiedCust = new Set<string>();
  const customer = (code: string, name: unknown) => {
    const cu = byCode.get(code);
    if (cu && copiedCust.has(code)) return cu;
    const mine = cu ? { ...cu, lots: [...cu.lots] } : { code, name, units: 0, lots: [] as string[] };
    byCode.set(code, mine);
    copiedCust.add(code);
    return mine;
  };
  const units = (x: ForwardLot) => (x.kind === 'serial' ? 1 : x.initialQuantity);
  for (const [id, l] of replaced) {
    const k = c.parts.lotPos.get(id)!;
    const old = at(c.parts.lots, k);
    const node = lotNode(l, old.start, custName);
    put(lots, copiedLots, k, node);
    const r = c.rowPos.get(id);
    if (r !== undefined) {
      const row = at(c.parts.rows, r);
      put(rows, copiedRows, r, lotRow(node, row.depth, row.quantity));
    }
    if (!c.ends.has(id)) continue;
    if (!--states[old.where.state]) delete states[old.where.state];
    states[node.where.state] = (states[node.where.state] ?? 0) + 1;
    if (old.where.state === 'shipped') {
      const cu = customer(old.customer!.code, old.customer!.name);
      cu.units -= units(old);
      cu.lots.splice(cu.lots.indexOf(id), 1);
      if (!cu.lots.length) byCode.delete(cu.code);
    }
    if (node.where.state === 'shipped') {
      const cu = customer(node.customer!.code, node.customer!.name);
      cu.units += units(node);
      cu.lots.push(id);
    }
  }
  const parts: Parts = { ...c.parts, lots, rows };
  const trace = makeTrace(
    {
      direction: 'forward',
      start: c.trace.start,
      workOrders: c.trace.workOrders,
      summary: {
        finished: prev.finished,
        states,
        customers: copiedCust.size ? [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code)) : prev.customers,
      },
    },
    parts,
  );
  return { ...c, trace, parts, custName };
}

const lotNode = (l: Lot, start: boolean, custName: Map<string, unknown>) => ({
  ...presentLotNode(l),
  start,
  customer: l.shipment ? { code: l.shipment.customer, name: custName.get(l.shipment.customer) ?? null } : null,
});
type ForwardLot = ReturnType<typeof lotNode>;

/** The finished end counted: units per state, and per customer the units shipped to it. */
function forwardSummary(ends: ForwardLot[]) {
  const states: Record<string, number> = {};
  for (const l of ends) states[l.where.state] = (states[l.where.state] ?? 0) + 1;
  const byCustomer = new Map<string, { code: string; name: unknown; units: number; lots: string[] }>();
  for (const l of ends) {
    if (l.where.state !== 'shipped') continue;
    const cu = l.customer!;
    const e = byCustomer.get(cu.code) ?? { code: cu.code, name: cu.name, units: 0, lots: [] };
    e.units += l.kind === 'serial' ? 1 : l.initialQuantity;
    e.lots.push(l.id);
    byCustomer.set(cu.code, e);
  }
  return {
    finished: ends.length,
    states,
    customers: [...byCustomer.values()].sort((a, b) => a.code.localeCompare(b.code)),
  };
}

async function computeForward(s: Services, q: { lot: string }, g: Graph): Promise<Computed> {
  const start = await startLots(s, q, g);
  const lotById = new Map<string, Lot>(start.map((l) => [l._id, l]));
  const woIds = new Set<string>();
  const producedBy = new Map<string, Lot[]>(); // work order → its output
  // the walk over the in-process edges; the work orders reached are read by `_id` afterwards
  let frontier = start.map((l) => l._id);
  for (let depth = 0; frontier.length && depth < MAX_DEPTH; depth++) {
    const wos = [...new Set(frontier.flatMap((id) => [...(g.consumedBy.get(id) ?? [])]))].filter(
      (id) => !woIds.has(id),
    );
    if (!wos.length) break;
    const next: string[] = [];
    for (const w of wos) {
      woIds.add(w);
      const out = listOf(g.producedBy, w);
      producedBy.set(w, out);
      for (const l of out) {
        if (lotById.has(l._id)) continue;
        lotById.set(l._id, l);
        next.push(l._id);
      }
    }
    frontier = next;
  }
  const codes = [...new Set([...lotById.values()].map((l) => l.shipment?.customer).filter((x): x is string => !!x))];
  // customers are keyed by their code: one indexed read each
  const [wos, custs] = await Promise.all([findWos(s, [...woIds]), byIds(customers(s), codes, { name: 1 })]);
  const woById = new Map<string, Wo>(wos.map((w) => [w._id, w]));
  // the consumers of each lot: the orders whose materials name it (one list per lot, summed per order)
  const consumers = new Map<string, Array<{ w: Wo; quantity: number }>>();
  for (const w of woById.values()) {
    const per = new Map<string, number>();
    for (const m of w.materials) if (lotById.has(m.lotId)) per.set(m.lotId, (per.get(m.lotId) ?? 0) + m.quantity);
    for (const [lotId, quantity] of per) consumers.set(lotId, [...(consumers.get(lotId) ?? []), { w, quantity }]);
  }
  const custName = new Map<string, unknown>(custs.map((c) => [c._id as string, c.name]));

  const startIds = new Set(start.map((l) => l._id));
  const lotNodes = [...lotById.values()].map((l) => lotNode(l, startIds.has(l._id), custName));
  const lotMap = new Map(lotNodes.map((l) => [l.id, l]));

  const rows: Row[] = [];
  const seenWo = new Set<string>();
  const walk = (lotId: string, depth: number) => {
    const l = lotMap.get(lotId)!;
    rows.push(lotRow(l, depth, l.kind === 'serial' ? 1 : l.initialQuantity));
    for (const { w, quantity } of (consumers.get(lotId) ?? []).sort((a, b) => a.w.number.localeCompare(b.w.number))) {
      if (seenWo.has(w._id)) continue;
      seenWo.add(w._id);
      rows.push(woRow(w, depth + 1, quantity, l.item.unit));
      const out = (producedBy.get(w._id) ?? []).sort(
        (a, b) => (a.serial ?? a.lotNumber).localeCompare(b.serial ?? b.lotNumber) || a._id.localeCompare(b._id),
      );
      for (const o of out) walk(o._id, depth + 2);
    }
  };
  for (const l of start) walk(l._id, 0);

  // the finished end: produced lots that nothing in the trace consumed
  const ends = lotNodes.filter((l) => !l.start && !consumers.has(l.id));
  const parts: Parts = {
    lots: chunked(lotNodes),
    rows: chunked(rows),
    rowCount: rows.length,
    lotPos: new Map(lotNodes.map((l, k) => [l.id, k])),
  };
  forwardStats.computed++;
  const trace = makeTrace(
    {
      direction: 'forward' as const,
      start: start.map((l) => l._id),
      workOrders: [...woById.values()].map((w) => ({
        id: w._id,
        number: w.number,
        state: w.state,
        item: { id: w.item.id, partNumber: w.item.partNumber, name: w.item.name },
        lotNumber: w.lotNumber,
        consumed: w.materials
          .filter((m) => lotById.has(m.lotId))
          .map((m) => ({ lotId: m.lotId, lotNumber: m.lotNumber, quantity: m.quantity })),
        output: (producedBy.get(w._id) ?? []).map((l) => l._id),
        link: link('workorder', w._id),
      })),
      summary: forwardSummary(ends),
    },
    parts,
  );
  const rowPos = new Map<string, number>();
  rows.forEach((r, k) => r.type === 'lot' && rowPos.set(r.id, k));
  return {
    trace,
    parts,
    rowPos,
    woIds,
    ends: new Set(ends.map((l) => l.id)),
    custName,
  };
}
export interface ForwardTrace {
  direction: 'forward';
  start: string[];
  lots: ForwardLot[];
  workOrders: Array<{
    id: string;
    number: string;
    state: Wo['state'];
    item: { id: string; partNumber: string; name: Wo['item']['name'] };
    lotNumber: string;
    consumed: Array<{ lotId: string; lotNumber: string; quantity: number }>;
    output: string[];
    link: { route: string; id: string };
  }>;
  summary: ReturnType<typeof forwardSummary>;
  rows: Row[];
}

/**
 * What `GET /trace/forward` answers: the summary over the whole trace (every finished unit and
 * customer counted) and one page of its rows, with the lots and work orders those rows name. A
 * work order's `output` lists its output on this page, `produced` counts all of it; a customer's
 * units are counted over all (the ids of its units are in the exports and the rows, not repeated
 * here: 10,000 ids would be most of the answer).
 */
/** The page as JSON text, kept with the trace it came from (a repeated read serializes nothing). */
export function forwardPageJson(t: ForwardTrace, page: { offset?: number; limit?: number }): string {
  let pages = pageJson.get(t);
  if (!pages) pageJson.set(t, (pages = new Map()));
  const key = `${page.offset ?? 0}:${page.limit ?? FORWARD_PAGE_DEFAULT}`;
  let json = pages.get(key);
  if (json === undefined) {
    json = JSON.stringify(forwardPage(t, page));
    if (pages.size >= 16) pages.delete(pages.keys().next().value!);
    pages.set(key, json);
  }
  return json;
}
const pageJson = new WeakMap<ForwardTrace, Map<string, string>>();
export function forwardPage(t: ForwardTrace, page: { offset?: number; limit?: number }) {
  const offset = page.offset ?? 0;
  const limit = page.limit ?? FORWARD_PAGE_DEFAULT;
  // from the chunks (the trace's whole `rows` and `lots` are not made for a page)
  const p = partsOf.get(t)!;
  const rows: Row[] = [];
  for (let k = offset, end = Math.min(offset + limit, p.rowCount); k < end; k++)
    rows.push(p.rows[Math.floor(k / CHUNK)][k % CHUNK]);
  const lotIds = new Set(t.start);
  const woIds = new Set<string>();
  for (const r of rows) (r.type === 'lot' ? lotIds : woIds).add(r.id);
  const lotAt = [...lotIds]
    .map((id) => p.lotPos.get(id))
    .filter((k): k is number => k !== undefined)
    .sort((a, b) => a - b);
  return {
    direction: t.direction,
    start: t.start,
    lots: lotAt.map((k) => p.lots[Math.floor(k / CHUNK)][k % CHUNK]),
    workOrders: t.workOrders
      .filter((w) => woIds.has(w.id))
      .map(({ output, ...w }) => ({ ...w, output: output.filter((id) => lotIds.has(id)), produced: output.length })),
    summary: {
      finished: t.summary.finished,
      states: t.summary.states,
      customers: t.summary.customers.map(({ lots: _lots, ...c }) => c),
    },
    rows,
    page: { offset, limit, total: p.rowCount },
  };
}
