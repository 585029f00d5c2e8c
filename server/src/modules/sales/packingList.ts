import { errors } from '../../platform/errors.ts';
import { hasPermission } from '../../identity/roles.ts';
import { streamOf } from '../../records/registry.ts';
import { renderPdf } from '../../pdf/render.ts';
import type { Locale } from '../../pdf/templates.ts';
import { publicUrlOf, safeFilename, type ExportKind } from '../../exports/kinds.ts';
import { getSalesOrder } from './service.ts';

// A shipment's packing list as a sealed PDF (export kind 'packing-list'; record id
// `<salesOrderId>:<shipmentId>`): the consignee, the carrier and reference, and every lot or
// serialized unit shipped with its UDI (DI = the item's GTIN, PI = production date, expiry, lot,
// serial: 21 CFR 801.20, 830.3; EU MDR Art. 27; NMPA UDI rules 2019), the record of the
// distribution ISO 13485:2016 7.5.9.2 and 21 CFR 820.160(b) ask for. The seal binds the PDF to the
// sales order's ledger head.
const L = {
  title: { 'en-US': 'Packing list', 'zh-CN': '装箱单' },
  shipment: { 'en-US': 'Shipment', 'zh-CN': '发货单号' },
  order: { 'en-US': 'Sales order', 'zh-CN': '销售订单' },
  customer: { 'en-US': 'Consignee', 'zh-CN': '收货单位' },
  customerPo: { 'en-US': 'Customer PO', 'zh-CN': '客户订单号' },
  shipDate: { 'en-US': 'Ship date', 'zh-CN': '发货日期' },
  carrier: { 'en-US': 'Carrier', 'zh-CN': '承运商' },
  reference: { 'en-US': 'Carrier reference', 'zh-CN': '运单号' },
  delivered: { 'en-US': 'Delivered', 'zh-CN': '签收' },
  contents: { 'en-US': 'Contents', 'zh-CN': '装箱明细' },
  line: { 'en-US': 'Line', 'zh-CN': '行' },
  item: { 'en-US': 'Part number', 'zh-CN': '物料编码' },
  description: { 'en-US': 'Description', 'zh-CN': '名称' },
  lot: { 'en-US': 'Lot', 'zh-CN': '批号' },
  serial: { 'en-US': 'Serial', 'zh-CN': '序列号' },
  expiry: { 'en-US': 'Expiry', 'zh-CN': '失效日期' },
  quantity: { 'en-US': 'Quantity', 'zh-CN': '数量' },
  udi: { 'en-US': 'UDI (GS1 HRI)', 'zh-CN': 'UDI(GS1 人工识读)' },
  note: {
    'en-US':
      'UDI = UDI-DI (01) GTIN + UDI-PI: (11) production date, (17) expiry, (10) lot, (21) serial. Only released, unexpired, unheld stock ships (ISO 13485:2016 7.5.8, 8.3).',
    'zh-CN':
      'UDI = 产品标识 UDI-DI (01) GTIN + 生产标识 UDI-PI:(11) 生产日期、(17) 失效日期、(10) 批号、(21) 序列号。仅已放行、未过期、未冻结的产品可发货(ISO 13485:2016 7.5.8、8.3)。',
  },
} as const;
const tr = (k: keyof typeof L, locale: Locale) => L[k][locale];
const bi = (b: { zh: string; en: string }, locale: Locale) => (locale === 'zh-CN' ? b.zh || b.en : b.en || b.zh);

/** `<salesOrderId>:<shipmentId>` → the order and the shipment (404 for either unknown). */
async function shipmentOf(s: Parameters<ExportKind['build']>[0], id: string) {
  const m = /^([^:]{1,100}):([^:]{1,100})$/.exec(id);
  if (!m)
    throw errors.validation('id', {
      en: 'a packing list like <salesOrderId>:<shipmentId>',
      zh: '装箱单格式应为 <销售订单ID>:<发货单ID>',
    });
  const order = await getSalesOrder(s, m[1]);
  const shipment = order.shipments.find((h) => h.id === m[2]);
  if (!shipment) throw errors.notFound('shipment');
  return { order, shipment };
}

export const packingListExport: ExportKind = {
  async access(s, user, id) {
    if (!hasPermission(user, 'sales.read')) throw errors.forbidden('export this packing list');
    await shipmentOf(s, id);
  },
  async build(s, user, id, opts, progress) {
    const { order, shipment } = await shipmentOf(s, id);
    const { locale } = opts;
    const stream = streamOf('salesorder', order._id);
    const head = await s.ledger.head(stream);
    if (!head) throw errors.notFound('sales order');
    const lineOf = new Map(order.lines.map((l) => [l.lineId, l]));
    const fields = [
      { label: tr('shipment', locale), value: shipment.number },
      { label: tr('order', locale), value: order.number },
      { label: tr('customer', locale), value: `${order.customer.code} ${bi(order.customer.name, locale)}` },
      { label: tr('customerPo', locale), value: order.customerPo ?? '' },
      { label: tr('shipDate', locale), value: shipment.shipDate },
      { label: tr('carrier', locale), value: shipment.carrier },
      { label: tr('reference', locale), value: shipment.reference },
      {
        label: tr('delivered', locale),
        value: shipment.delivery ? `${shipment.delivery.deliveredOn} ${shipment.delivery.receivedBy}` : '',
      },
    ];
    const rows = shipment.lines.map((x) => {
      const line = lineOf.get(x.lineId);
      return {
        line: x.lineId,
        item: line?.item.partNumber ?? '',
        description: line ? bi(line.item.name, locale) : '',
        lot: x.lotNumber,
        serial: x.serial ?? '',
        expiry: x.expiryDate ?? '',
        quantity: x.quantity,
        unit: line?.item.unit ?? '',
        udi: x.udi ?? '',
      };
    });
    progress(0.1, 'layout');
    const { pdf, pages } = await renderPdf({
      template: 'packing-list',
      locale,
      data: {
        L: Object.fromEntries(Object.keys(L).map((k) => [k, tr(k as keyof typeof L, locale)])),
        fields,
        rows,
      },
      title: `${tr('title', locale)} ${shipment.number}`,
      reference: `${order.number} ${shipment.number}`,
      stream,
      headHash: head.hash,
      printedBy: user.fullName,
      signer: s.signer,
      publicUrl: publicUrlOf(s),
      onProgress: (p, stage) => progress(0.1 + 0.9 * p, stage),
    });
    return {
      filename: safeFilename(`${shipment.number}-packing-list.pdf`),
      pdf,
      recordStream: stream,
      recordVersion: head.version,
      headHash: head.hash,
      pages,
    };
  },
};
