import { performance } from 'node:perf_hooks';
import type { Document } from 'mongodb';
import type { Services } from '../../platform/services.ts';
import { todayUtc } from '../../platform/dates.ts';
import { LOTS, type LotDoc } from '../inventory/lot.record.ts';
import { NONCONFORMANCES, type NcDoc } from '../nc/nc.record.ts';
import { COMPLAINTS, type ComplaintDoc } from '../complaints/complaint.record.ts';
import { INSPECTIONS, type InspectionDoc } from '../inspection/inspection.record.ts';
import { CAPAS, type CapaDoc } from '../capa/capa.record.ts';
import { RECALLS, type RecallDoc } from '../recall/recall.record.ts';
import { openQuantity } from '../recall/units.ts';
import { recallClocks } from '../recall/rules.ts';
import { effectiveness } from '../recall/presenter.ts';
import { WORKORDERS, type WorkOrderDoc } from '../production/workorder.model.ts';
import { SALES_ORDERS, type SalesOrderDoc } from '../sales/salesorder.record.ts';
import { traceForward } from '../trace/genealogy.ts';
import { KPI_IDS, periodDays, type KpiId, type KpiQueryInput } from './schema.ts';
import { KPI_TEXT, type Bilingual } from './definitions.ts';
import { nowIso } from '../../platform/clock.ts';

// Read-only KPIs (issue 13 item 7; ISO 13485:2016 8.4 analysis of data, 5.6.2 management review
// input): each is computed from the projections of the records it counts, nothing is written.
// Every KPI is built the same way: the records it counts (each with the month or bar it falls
// in), and a function of those records, so the value, the monthly series and the drill-down
// never disagree.

/** One counted record: what the drill-down lists, with a link to its page. */
export interface KpiRecord {
  type: string;
  id: string;
  label: string;
  date: string;
  /** The month (YYYY-MM) or the series label (a bar) the record is counted in. */
  group: string;
  quantity: number | null;
  detail: string;
  link: string;
}
export interface KpiPoint {
  label: string;
  name?: Bilingual;
  value: number | null;
}
export interface KpiResult {
  id: KpiId;
  name: Bilingual;
  definition: Bilingual;
  unit: string;
  chart: 'line' | 'bar';
  value: number | null;
  /** Why the value is null (nothing to count), or a remark on the value. */
  note: Bilingual | null;
  extra: Record<string, number | null>;
  series: KpiPoint[];
  records: KpiRecord[];
}
type Computed = Omit<KpiResult, 'id' | 'name' | 'definition' | 'unit' | 'chart'>;

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const ratio = (num: number, den: number, scale = 100) => (den > 0 ? round((num * scale) / den) : null);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const day = (iso: string) => iso.slice(0, 10);
const month = (iso: string) => iso.slice(0, 7);
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Months of the period, first to last (YYYY-MM). */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const end = to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push(key);
    if (key >= end) return out;
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
}

/** Median (mean of the two middle values when even) and p90 (nearest rank: the ⌈0.9·n⌉-th smallest). */
export function medianP90(xs: number[]): { median: number | null; p90: number | null } {
  if (!xs.length) return { median: null, p90: null };
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length / 2;
  const median = s.length % 2 ? s[Math.floor(mid)] : (s[mid - 1] + s[mid]) / 2;
  return { median, p90: s[Math.ceil(0.9 * s.length) - 1] };
}

interface Ctx {
  s: Services;
  q: KpiQueryInput;
  months: string[];
  inPeriod(iso: string | null | undefined): boolean;
}
const nothing = (en: string, zh: string): Bilingual => ({ en, zh });
const monthly = (ctx: Ctx, f: (m: string) => number | null): KpiPoint[] =>
  ctx.months.map((m) => ({ label: m, value: f(m) }));
const col = <T extends Document>(s: Services, name: string) => s.db.collection<T>(name);

async function lotsOf(ctx: Ctx): Promise<LotDoc[]> {
  const filter = ctx.q.productId ? { 'item.id': ctx.q.productId } : {};
  return col<LotDoc>(ctx.s, LOTS).find(filter).toArray();
}
type Mv = { lot: LotDoc; type: string; at: string; quantity: number; sign: number };
function movementsOf(lots: LotDoc[]): Mv[] {
  return lots.flatMap((lot) =>
    lot.movements.map((m) => ({
      lot,
      type: m.type,
      at: m.at,
      quantity: m.quantity,
      // into the company (received, produced, counted up) +, out of it (issued, scrapped, shipped, counted down) −, moved 0
      sign: m.to && !m.from ? 1 : m.from && !m.to ? -1 : 0,
    })),
  );
}
const lotRecord = (mv: Mv, group: string): KpiRecord => ({
  type: 'lot',
  id: mv.lot._id,
  label: mv.lot.lotNumber + (mv.lot.serial ? ` / ${mv.lot.serial}` : ''),
  date: mv.at,
  group,
  quantity: mv.quantity,
  detail: `${mv.type} · ${mv.lot.item.partNumber}`,
  link: `/lots/${mv.lot._id}`,
});

// ---------------------------------------------------------------- the KPIs

async function incidentRate(ctx: Ctx): Promise<Computed> {
  const p = ctx.q.productId;
  const ncs = (
    await col<NcDoc>(ctx.s, NONCONFORMANCES)
      .find(p ? { 'item.id': p } : {})
      .toArray()
  ).filter((n) => ctx.inPeriod(n.openedAt));
  const complaints = (
    await col<ComplaintDoc>(ctx.s, COMPLAINTS)
      .find(p ? { 'device.itemId': p } : {})
      .toArray()
  ).filter((c) => ctx.inPeriod(c.receivedDate));
  const shipped = movementsOf(await lotsOf(ctx)).filter((m) => m.type === 'shipped' && ctx.inPeriod(m.at));
  const records: KpiRecord[] = [
    ...ncs.map((n) => ({
      type: 'nc',
      id: n._id,
      label: n.number,
      date: n.openedAt,
      group: month(n.openedAt),
      quantity: null,
      detail: n.description.slice(0, 120),
      link: `/ncs/${n._id}`,
    })),
    ...complaints.map((c) => ({
      type: 'complaint',
      id: c._id,
      label: c.number,
      date: c.receivedDate,
      group: month(c.receivedDate),
      quantity: null,
      detail: c.nature.slice(0, 120),
      link: `/complaints/${c._id}`,
    })),
    ...shipped.map((m) => lotRecord(m, month(m.at))),
  ];
  const rate = (rs: KpiRecord[]) =>
    ratio(
      rs.filter((r) => r.type !== 'lot').length,
      sum(rs.filter((r) => r.type === 'lot').map((r) => r.quantity ?? 0)),
      1000,
    );
  const value = rate(records);
  return {
    value,
    note: value === null ? nothing('no units shipped in the period', '期间内没有发货') : null,
    extra: {
      ncs: ncs.length,
      complaints: complaints.length,
      unitsShipped: sum(shipped.map((m) => m.quantity)),
    },
    series: monthly(ctx, (m) => rate(records.filter((r) => r.group === m))),
    records,
  };
}

async function scrapRate(ctx: Ctx): Promise<Computed> {
  const mv = movementsOf(await lotsOf(ctx)).filter(
    (m) => (m.type === 'issued' || m.type === 'scrapped') && ctx.inPeriod(m.at),
  );
  const rate = (xs: Mv[]) =>
    ratio(
      sum(xs.filter((m) => m.type === 'scrapped').map((m) => m.quantity)),
      sum(xs.filter((m) => m.type === 'issued').map((m) => m.quantity)),
    );
  const value = rate(mv);
  return {
    value,
    note: value === null ? nothing('nothing issued in the period', '期间内没有发料') : null,
    extra: {
      scrapped: sum(mv.filter((m) => m.type === 'scrapped').map((m) => m.quantity)),
      issued: sum(mv.filter((m) => m.type === 'issued').map((m) => m.quantity)),
    },
    series: monthly(ctx, (k) => rate(mv.filter((m) => month(m.at) === k))),
    records: mv.map((m) => lotRecord(m, month(m.at))),
  };
}

async function inspectionWait(ctx: Ctx): Promise<Computed> {
  const p = ctx.q.productId;
  const done = (
    await col<InspectionDoc>(ctx.s, INSPECTIONS)
      .find(p ? { 'item.id': p } : {})
      .toArray()
  ).filter((i) => i.disposition && ctx.inPeriod(i.disposition.at));
  const hours = (i: InspectionDoc) => (Date.parse(i.disposition!.at) - Date.parse(i.createdAt)) / HOUR;
  const records = done.map((i) => ({
    type: 'inspection',
    id: i._id,
    label: i.number,
    date: i.disposition!.at,
    group: month(i.disposition!.at),
    quantity: round(hours(i)),
    detail: `${i.lotNumber} · ${i.item.partNumber} · ${i.disposition!.decision}`,
    link: `/inspections/${i._id}`,
  }));
  const stats = medianP90(records.map((r) => r.quantity));
  return {
    value: stats.median === null ? null : round(stats.median),
    note: stats.median === null ? nothing('no inspection dispositioned in the period', '期间内没有处置的检验') : null,
    extra: {
      median: stats.median === null ? null : round(stats.median),
      p90: stats.p90 === null ? null : round(stats.p90),
    },
    series: monthly(ctx, (m) => {
      const x = medianP90(records.filter((r) => r.group === m).map((r) => r.quantity)).median;
      return x === null ? null : round(x);
    }),
    records,
  };
}

async function inventoryTurnover(ctx: Ctx): Promise<Computed> {
  const mv = movementsOf(await lotsOf(ctx));
  const end = (d: string) => `${d}T23:59:59.999Z`;
  const onHandAt = (d: string) => sum(mv.filter((m) => m.at <= end(d)).map((m) => m.sign * m.quantity));
  const outflow = (a: string, b: string) =>
    mv.filter((m) => (m.type === 'issued' || m.type === 'shipped') && day(m.at) >= a && day(m.at) <= b);
  const turnover = (a: string, b: string) => {
    const out = sum(outflow(a, b).map((m) => m.quantity));
    return out > 0 ? round(onHandAt(b) / (out / periodDays(a, b))) : null;
  };
  const { from, to } = ctx.q;
  const value = turnover(from, to);
  return {
    value,
    note: value === null ? nothing('nothing issued or shipped in the period', '期间内没有发料或发货') : null,
    extra: {
      onHandAtEnd: onHandAt(to),
      outflow: sum(outflow(from, to).map((m) => m.quantity)),
      days: periodDays(from, to),
    },
    series: monthly(ctx, (m) => {
      const a = `${m}-01` < from ? from : `${m}-01`;
      const last = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 0)).toISOString().slice(0, 10);
      return turnover(a, last > to ? to : last);
    }),
    records: outflow(from, to).map((m) => lotRecord(m, month(m.at))),
  };
}

/** Audits (ISO 13485:2016 8.2.4) are another module's records, read by collection name once it exists. */
async function auditPassRate(ctx: Ctx): Promise<Computed> {
  const none: Computed = {
    value: null,
    note: nothing('no audits', '没有审核'),
    extra: {},
    series: monthly(ctx, () => null),
    records: [],
  };
  const exists = (await ctx.s.db.listCollections({ name: 'audits' }, { nameOnly: true }).toArray()).length > 0;
  if (!exists) return none;
  const all = (await col<Document>(ctx.s, 'audits').find({}).toArray()) as Array<Record<string, unknown>>;
  // counted once closed (the audits module's `passed`: closed with no major finding), dated by the report's approval
  const dated = all
    .filter((a) => a.state === 'closed' || typeof a.passed === 'boolean')
    .map((a) => {
      const approval = a.approval as { at?: string } | null | undefined;
      return { a, date: String(approval?.at ?? a.end ?? a.createdAt ?? '') };
    })
    .filter(({ date }) => ctx.inPeriod(date));
  if (!dated.length) return none;
  const major = (a: Record<string, unknown>) =>
    (Array.isArray(a.findings) ? (a.findings as Array<Record<string, unknown>>) : []).some((f) => f.grade === 'major');
  const passed = (a: Record<string, unknown>) => (typeof a.passed === 'boolean' ? a.passed : !major(a));
  const records = dated.map(({ a, date }) => ({
    type: 'audit',
    id: String(a._id),
    label: String(a.number ?? a._id),
    date,
    group: month(date),
    quantity: null,
    detail: passed(a) ? 'passed' : 'major finding',
    link: `/audits/${String(a._id)}`,
  }));
  const rate = (rs: KpiRecord[]) => ratio(rs.filter((r) => r.detail === 'passed').length, rs.length);
  return {
    value: rate(records),
    note: ctx.q.productId ? nothing('audits are not per product', '审核不按产品区分') : null,
    extra: { audits: records.length },
    series: monthly(ctx, (m) => rate(records.filter((r) => r.group === m))),
    records,
  };
}

/** Time to answer a forward trace, measured now on a sample lot: the product's (or any) lot issued most recently. */
async function traceSpeed(ctx: Ctx): Promise<Computed> {
  const lots = await lotsOf(ctx);
  const issued = movementsOf(lots)
    .filter((m) => m.type === 'issued')
    .sort((a, b) => b.at.localeCompare(a.at));
  const sample = issued[0]?.lot ?? lots[0];
  if (!sample)
    return { value: null, note: nothing('no lot to trace', '没有可追溯的批次'), extra: {}, series: [], records: [] };
  const t0 = performance.now();
  const trace = await traceForward(ctx.s, { lot: sample._id });
  const ms = round(performance.now() - t0, 1);
  return {
    value: ms,
    note: null,
    extra: { rows: trace.rows.length },
    series: [{ label: sample.lotNumber, value: ms }],
    records: [
      {
        type: 'lot',
        id: sample._id,
        label: sample.lotNumber,
        date: nowIso(),
        group: sample.lotNumber,
        quantity: trace.rows.length,
        detail: `forward trace: ${trace.rows.length} rows`,
        link: `/lots/${sample._id}`,
      },
    ],
  };
}

async function recallTimeliness(ctx: Ctx): Promise<Computed> {
  const p = ctx.q.productId;
  const recalls = (
    await col<RecallDoc>(ctx.s, RECALLS)
      .find(p ? { 'units.item.id': p } : {})
      .toArray()
  ).filter((r) => ctx.inPeriod(r.initiatedOn));
  let met = 0;
  let judged = 0;
  const records: KpiRecord[] = [];
  for (const r of recalls) {
    const open = sum(r.units.map(openQuantity));
    // the day 100% was reached: the first disposition date by which the units returned, corrected or
    // destroyed cover every unit shipped (21 CFR 7.59 effectiveness); a "not found" accounts for
    // nothing, so one dated later (the unit then reported destroyed earlier) does not move the date
    const completeOn = effectiveness(r).completeOn;
    const days =
      open === 0 && completeOn ? Math.round((Date.parse(completeOn) - Date.parse(r.initiatedOn)) / DAY) : null;
    for (const c of await recallClocks(ctx.s, r)) {
      if (c.status === 'running') continue;
      judged += 1;
      if (c.status === 'met') met += 1;
    }
    records.push({
      type: 'recall',
      id: r._id,
      label: r.number,
      date: r.initiatedOn,
      group: month(r.initiatedOn),
      quantity: days,
      detail: days === null ? `${open} unit(s) not accounted for` : `100% accounted in ${days} day(s)`,
      link: `/recalls/${r._id}`,
    });
  }
  const mean = (rs: KpiRecord[]) => {
    const xs = rs.map((x) => x.quantity).filter((x): x is number => x !== null);
    return xs.length ? round(sum(xs) / xs.length) : null;
  };
  const value = mean(records);
  return {
    value,
    note: !recalls.length
      ? nothing('no recalls in the period', '期间内没有召回')
      : value === null
        ? nothing('no recall 100% accounted for yet', '尚无召回的产品全部落实')
        : null,
    extra: {
      recalls: recalls.length,
      accounted: records.filter((x) => x.quantity !== null).length,
      clocksMet: met,
      clocksJudged: judged,
      clocksMetRate: ratio(met, judged),
    },
    series: monthly(ctx, (m) => mean(records.filter((x) => x.group === m))),
    records,
  };
}

const BUCKETS = [
  { label: '0-30', max: 30 },
  { label: '31-60', max: 60 },
  { label: '61-90', max: 90 },
  { label: '>90', max: Infinity },
];
async function capaAgeing(ctx: Ctx): Promise<Computed> {
  const p = ctx.q.productId;
  let capas = (await col<CapaDoc>(ctx.s, CAPAS).find({}).toArray()).filter(
    (c) => c.state !== 'closed' && c.state !== 'no_capa' && day(c.createdAt) <= ctx.q.to,
  );
  if (p) {
    // a CAPA is the product's when its source (an NC or a complaint) is about the product
    const ncs = new Set((await col<NcDoc>(ctx.s, NONCONFORMANCES).find({ 'item.id': p }).toArray()).map((n) => n._id));
    const cs = new Set(
      (await col<ComplaintDoc>(ctx.s, COMPLAINTS).find({ 'device.itemId': p }).toArray()).map((c) => c._id),
    );
    capas = capas.filter((c) => ncs.has(c.source.id) || cs.has(c.source.id));
  }
  const asOf = ctx.q.to < todayUtc() ? ctx.q.to : todayUtc();
  const records = capas.map((c) => {
    const age = Math.max(0, Math.floor((Date.parse(asOf) - Date.parse(day(c.createdAt))) / DAY));
    return {
      type: 'capa',
      id: c._id,
      label: c.number,
      date: c.createdAt,
      group: BUCKETS.find((b) => age <= b.max)!.label,
      quantity: age,
      detail: `${c.state} · ${c.title.slice(0, 100)}`,
      link: `/capas/${c._id}`,
    };
  });
  return {
    value: records.length,
    note: null,
    extra: Object.fromEntries(BUCKETS.map((b) => [b.label, records.filter((r) => r.group === b.label).length])),
    series: BUCKETS.map((b) => ({ label: b.label, value: records.filter((r) => r.group === b.label).length })),
    records,
  };
}

async function firstPassYield(ctx: Ctx): Promise<Computed> {
  const p = ctx.q.productId;
  const wos = await col<WorkOrderDoc>(ctx.s, WORKORDERS)
    .find(p ? { 'item.id': p } : {})
    .toArray();
  const records: KpiRecord[] = [];
  const names = new Map<string, Bilingual>();
  for (const w of wos)
    for (const op of w.operations) {
      if (!op.performed || !ctx.inPeriod(op.performed.at)) continue;
      const label = `${op.seq}`;
      names.set(label, op.name);
      const deviated = w.deviations.some((d) => d.seq === op.seq);
      records.push({
        type: 'workorder',
        id: w._id,
        label: `${w.number} · ${op.seq}`,
        date: op.performed.at,
        group: label,
        quantity: deviated ? 0 : 1,
        detail: `${op.name.en} / ${op.name.zh}: ${deviated ? 'deviation' : 'first pass'}`,
        link: `/workorders/${w._id}`,
      });
    }
  const fpy = (rs: KpiRecord[]) => ratio(sum(rs.map((r) => r.quantity ?? 0)), rs.length);
  const value = fpy(records);
  return {
    value,
    note: value === null ? nothing('no routing step performed in the period', '期间内没有执行工序') : null,
    extra: { steps: records.length },
    series: [...names.keys()]
      .sort((a, b) => Number(a) - Number(b))
      .map((label) => ({ label, name: names.get(label), value: fpy(records.filter((r) => r.group === label)) })),
    records,
  };
}

async function onTimeDelivery(ctx: Ctx): Promise<Computed> {
  const p = ctx.q.productId;
  const orders = await col<SalesOrderDoc>(ctx.s, SALES_ORDERS)
    .find({ 'shipments.0': { $exists: true } })
    .toArray();
  const records: KpiRecord[] = [];
  for (const o of orders)
    for (const sh of o.shipments) {
      if (!ctx.inPeriod(sh.shipDate)) continue;
      for (const l of sh.lines) {
        const line = o.lines.find((x) => x.lineId === l.lineId);
        if (!line || (p && line.item.id !== p)) continue;
        const onTime = sh.shipDate <= line.requestedDate;
        records.push({
          type: 'salesorder',
          id: o._id,
          label: `${o.number} · ${sh.number}`,
          date: sh.shipDate,
          group: month(sh.shipDate),
          quantity: onTime ? 1 : 0,
          detail: `${line.item.partNumber} × ${l.quantity}: requested ${line.requestedDate}, shipped ${sh.shipDate}`,
          link: `/sales-orders/${o._id}`,
        });
      }
    }
  const rate = (rs: KpiRecord[]) => ratio(sum(rs.map((r) => r.quantity ?? 0)), rs.length);
  const value = rate(records);
  return {
    value,
    note:
      value === null
        ? nothing('nothing shipped against a sales order in the period', '期间内没有按销售订单发货')
        : null,
    extra: { lines: records.length, onTime: sum(records.map((r) => r.quantity ?? 0)) },
    series: monthly(ctx, (m) => rate(records.filter((r) => r.group === m))),
    records,
  };
}

async function supplierScorecard(ctx: Ctx): Promise<Computed> {
  const p = ctx.q.productId;
  const done = (
    await col<InspectionDoc>(ctx.s, INSPECTIONS)
      .find(p ? { 'item.id': p } : {})
      .toArray()
  ).filter((i) => i.supplier && i.result && ctx.inPeriod(i.completedAt));
  const names = new Map<string, Bilingual>();
  const records = done.map((i) => {
    names.set(i.supplier!.code, i.supplier!.name);
    return {
      type: 'inspection',
      id: i._id,
      label: i.number,
      date: i.completedAt!,
      group: i.supplier!.code,
      quantity: i.result === 'pass' ? 1 : 0,
      detail: `${i.lotNumber} · ${i.item.partNumber} · ${i.result}`,
      link: `/inspections/${i._id}`,
    };
  });
  const rate = (rs: KpiRecord[]) => ratio(sum(rs.map((r) => r.quantity ?? 0)), rs.length);
  const value = rate(records);
  return {
    value,
    note: value === null ? nothing('no supplier lot inspected in the period', '期间内没有检验供应商批次') : null,
    extra: { inspections: records.length, suppliers: names.size },
    series: [...names.keys()].sort().map((code) => ({
      label: code,
      name: names.get(code),
      value: rate(records.filter((r) => r.group === code)),
    })),
    records,
  };
}

const COMPUTE: Record<KpiId, (ctx: Ctx) => Promise<Computed>> = {
  incident_rate: incidentRate,
  scrap_rate: scrapRate,
  inspection_wait: inspectionWait,
  inventory_turnover: inventoryTurnover,
  audit_pass_rate: auditPassRate,
  trace_speed: traceSpeed,
  recall_timeliness: recallTimeliness,
  capa_ageing: capaAgeing,
  first_pass_yield: firstPassYield,
  on_time_delivery: onTimeDelivery,
  supplier_scorecard: supplierScorecard,
};

function context(s: Services, q: KpiQueryInput): Ctx {
  return {
    s,
    q,
    months: monthsOf(q.from, q.to),
    inPeriod: (iso) => !!iso && day(iso) >= q.from && day(iso) <= q.to,
  };
}

export async function computeKpi(s: Services, id: KpiId, q: KpiQueryInput): Promise<KpiResult> {
  const out = await COMPUTE[id](context(s, q));
  return { id, ...KPI_TEXT[id], ...out };
}

export async function computeKpis(s: Services, q: KpiQueryInput): Promise<KpiResult[]> {
  const out: KpiResult[] = [];
  for (const id of KPI_IDS) out.push(await computeKpi(s, id, q));
  return out;
}

/** The records one KPI counts, narrowed to one month or one bar (`label`). */
export async function kpiRecords(
  s: Services,
  id: KpiId,
  q: KpiQueryInput & { month?: string; label?: string },
): Promise<KpiRecord[]> {
  const k = await computeKpi(s, id, q);
  const pick = q.month ?? q.label;
  return pick ? k.records.filter((r) => r.group === pick) : k.records;
}
