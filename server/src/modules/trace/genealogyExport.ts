import type { Services } from '../../platform/services.ts';
import { errors } from '../../platform/errors.ts';
import { hasPermission } from '../../identity/roles.ts';
import { streamOf } from '../../records/registry.ts';
import { renderPdf } from '../../pdf/render.ts';
import type { Locale } from '../../pdf/templates.ts';
import { publicUrlOf, safeFilename, type ExportKind } from '../../exports/kinds.ts';
import { BackwardQuery, ForwardQuery, startLots, traceBackward, traceForward, type Row } from './genealogy.ts';

// A genealogy trace as a sealed PDF (export kind 'genealogy'). The record id names the direction
// and the start: `backward:lot:<lot>`, `backward:serial:<serial>` or `forward:lot:<lot>`. The seal
// binds the PDF to the start lot's ledger head (the lot whose trace it is).

const L = {
  title: { 'en-US': 'Genealogy trace', 'zh-CN': '追溯谱系' },
  direction: { 'en-US': 'Direction', 'zh-CN': '方向' },
  backward: { 'en-US': 'Backward (components, suppliers, DHR)', 'zh-CN': '反向(组件、供应商、DHR)' },
  forward: { 'en-US': 'Forward (products, stock, customers)', 'zh-CN': '正向(产品、库存、客户)' },
  start: { 'en-US': 'Traced from', 'zh-CN': '追溯起点' },
  rows: { 'en-US': 'Rows', 'zh-CN': '行数' },
  finished: { 'en-US': 'Finished lots / units', 'zh-CN': '成品批次/单件' },
  states: { 'en-US': 'Where they are', 'zh-CN': '当前去向' },
  customers: { 'en-US': 'Customers', 'zh-CN': '客户' },
  trace: { 'en-US': 'Trace', 'zh-CN': '追溯明细' },
  depth: { 'en-US': 'Level', 'zh-CN': '层级' },
  type: { 'en-US': 'Type', 'zh-CN': '类型' },
  number: { 'en-US': 'Number', 'zh-CN': '编号' },
  item: { 'en-US': 'Item / WI', 'zh-CN': '物料/作业指导书' },
  quantity: { 'en-US': 'Quantity', 'zh-CN': '数量' },
  state: { 'en-US': 'Status', 'zh-CN': '状态' },
  detail: { 'en-US': 'Details', 'zh-CN': '详情' },
  note: {
    'en-US':
      'ISO 13485:2016 7.5.9. Steps: operator (✓ trained on the work instruction revision before the step, ✗ not), equipment (✓ calibration not due on the day of the step, ✗ due).',
    'zh-CN':
      'ISO 13485:2016 7.5.9。工序:操作员(✓ 工序前已完成该作业指导书版本的培训,✗ 未完成),设备(✓ 工序当日校准未到期,✗ 已到期)。',
  },
  'type.lot': { 'en-US': 'Lot', 'zh-CN': '批次' },
  'type.workorder': { 'en-US': 'Work order', 'zh-CN': '工单' },
  'type.step': { 'en-US': 'Step', 'zh-CN': '工序' },
} as const;
const STATES: Record<string, Record<Locale, string>> = {
  in_stock: { 'en-US': 'in stock', 'zh-CN': '在库' },
  held: { 'en-US': 'held', 'zh-CN': '冻结' },
  shipped: { 'en-US': 'shipped', 'zh-CN': '已发货' },
  scrapped: { 'en-US': 'scrapped', 'zh-CN': '已报废' },
  consumed: { 'en-US': 'consumed', 'zh-CN': '已消耗' },
  rejected: { 'en-US': 'rejected', 'zh-CN': '已拒收' },
  expired: { 'en-US': 'expired', 'zh-CN': '已过期' },
};
const tr = (key: keyof typeof L, locale: Locale) => L[key][locale];

/** `backward:lot:<x>` | `backward:serial:<x>` | `forward:lot:<x>` → the direction and its validated query. */
export function parseTraceId(id: string) {
  const m = /^(backward|forward):(lot|serial):(.+)$/.exec(id);
  const bad = () =>
    errors.validation('id', {
      en: 'a trace like backward:lot:<lot>, backward:serial:<serial> or forward:lot:<lot>',
      zh: '追溯格式应为 backward:lot:<批次>、backward:serial:<序列号> 或 forward:lot:<批次>',
    });
  if (!m) throw bad();
  const [, direction, key, value] = m;
  if (direction === 'forward') {
    const q = ForwardQuery.safeParse({ [key]: value });
    if (!q.success) throw bad();
    return { direction: 'forward' as const, query: q.data };
  }
  const q = BackwardQuery.safeParse({ [key]: value });
  if (!q.success) throw bad();
  return { direction: 'backward' as const, query: q.data };
}

export const genealogyExport: ExportKind = {
  async access(s: Services, user, id) {
    const { query } = parseTraceId(id);
    if (!hasPermission(user, 'records.read')) throw errors.forbidden('export this trace');
    await startLots(s, query); // 404 for an unknown lot or serial
  },
  async build(s, user, id, opts, progress) {
    const { direction, query } = parseTraceId(id);
    const { locale } = opts;
    progress(0.05, 'tracing');
    const trace =
      direction === 'forward' ? await traceForward(s, query as { lot: string }) : await traceBackward(s, query);
    const stream = streamOf('lot', trace.start[0]);
    const head = await s.ledger.head(stream);
    if (!head) throw errors.notFound('lot');
    const startLabel = Object.values(query)[0] as string;
    const summary = 'summary' in trace ? trace.summary : null;
    const { pdf, pages } = await renderPdf({
      template: 'genealogy',
      locale,
      data: {
        L: Object.fromEntries(Object.keys(L).map((k) => [k, tr(k as keyof typeof L, locale)])),
        directionName: tr(direction, locale),
        start: startLabel,
        summary,
        summaryStates: summary
          ? Object.entries(summary.states)
              .map(([k, n]) => `${STATES[k]?.[locale] ?? k}: ${n}`)
              .join(', ')
          : '',
        summaryCustomers: summary ? summary.customers.map((c) => `${c.code} (${c.units})`).join(', ') : '',
        rows: trace.rows.map((r: Row) => ({
          ...r,
          group: r.type === 'workorder',
          indent: '· '.repeat(r.depth),
          typeName: tr(`type.${r.type}`, locale),
          stateName: STATES[r.state]?.[locale] ?? r.state,
        })),
      },
      title: `${tr('title', locale)} — ${startLabel}`,
      reference: `${direction} ${startLabel}`,
      stream,
      headHash: head.hash,
      printedBy: user.fullName,
      signer: s.signer,
      publicUrl: publicUrlOf(s),
      onProgress: (p, stage) => progress(0.1 + 0.9 * p, stage),
    });
    return {
      filename: safeFilename(`genealogy-${direction}-${startLabel}.pdf`),
      pdf,
      recordStream: stream,
      recordVersion: head.version,
      headHash: head.hash,
      pages,
    };
  },
};
