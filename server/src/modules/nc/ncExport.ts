import { errors } from '../../platform/errors.ts';
import { hasPermission } from '../../identity/roles.ts';
import type { ExportKind } from '../../exports/kinds.ts';
import { bi, renderRecordPdf, tr, val } from '../../exports/recordExport.ts';
import { getNc } from './service.ts';

// A nonconformance as a sealed PDF (export kind 'nc'; ISO 13485:2016 8.3, 4.2.5): its fields,
// the affected lots, the MRB dispositions with their authoriser, the closure, then the record's
// signatures (21 CFR 11.50) and its history.
export const ncExport: ExportKind = {
  async access(s, user, id) {
    if (!hasPermission(user, 'records.read')) throw errors.forbidden('export this nonconformance');
    await getNc(s, id);
  },
  async build(s, user, id, opts, progress) {
    const nc = await getNc(s, id);
    const { locale } = opts;
    const t = tr(locale);
    const src = nc.source as Record<string, unknown> & { kind: string };
    const sourceRef = Object.entries(src)
      .filter(([k, v]) => k !== 'kind' && !k.endsWith('Id') && v !== null)
      .map(([, v]) => val(v))
      .join(' · ');
    const lotNo = new Map(nc.lots.map((l) => [l.lotId, l.lotNumber]));
    return renderRecordPdf(
      s,
      user,
      locale,
      {
        stream: `nc:${nc._id}`,
        heading: `${t('Nonconformance', '不合格品')} ${nc.number}`,
        subtitle: 'ISO 13485:2016 8.3',
        reference: nc.number,
        filename: `${nc.number}-nonconformance.pdf`,
        sections: [
          {
            title: t('Record', '记录'),
            fields: [
              { label: t('Number', '编号'), value: nc.number },
              {
                label: t('Status', '状态'),
                value: nc.status === 'closed' ? t('Closed', '已关闭') : t('Open', '未关闭'),
              },
              { label: t('Source', '来源'), value: `${src.kind}${sourceRef ? ` — ${sourceRef}` : ''}` },
              { label: t('Item', '物料'), value: `${nc.item.partNumber} ${bi(locale, nc.item.name)}` },
              {
                label: t('Supplier', '供应商'),
                value: nc.supplier ? `${nc.supplier.code} ${bi(locale, nc.supplier.name)}` : '',
              },
              { label: t('Description', '描述'), value: nc.description },
              { label: t('Detection point', '发现环节'), value: val(nc.detectionPoint) },
              { label: t('Containment', '围堵措施'), value: nc.containment },
              { label: t('Opened by', '开立人'), value: nc.openedBy },
              { label: t('Opened at', '开立时间'), value: nc.openedAt },
              { label: 'CAPA', value: val(nc.capaId) },
            ],
          },
          {
            title: t('Affected lots', '受影响批次'),
            table: {
              widths: '3,3,2,2,2',
              head: [
                t('Lot', '批号'),
                t('Serial', '序列号'),
                t('Quantity', '数量'),
                t('Unit', '单位'),
                t('Undisposed', '未处置'),
              ],
              rows: nc.lots.map((l) => [l.lotNumber, val(l.serial), val(l.quantity), l.unit, val(l.undisposed)]),
            },
          },
          {
            title: t('Dispositions (MRB)', '处置(评审委员会)'),
            table: {
              widths: '2,2,1,4,3,3',
              head: [
                t('Lot', '批号'),
                t('Decision', '处置决定'),
                t('Qty', '数量'),
                t('Justification', '理由'),
                t('Authorised by', '批准人'),
                t('Re-verification', '再验证'),
              ],
              rows: nc.dispositions.map((d) => [
                lotNo.get(d.lotId) ?? d.lotId,
                d.decision,
                val(d.quantity),
                d.justification,
                `${d.by} ${d.at}`,
                d.reverification ? `${d.reverification.by} ${d.reverification.at} ${d.reverification.note}` : '',
              ]),
            },
          },
          {
            title: t('Closure', '关闭记录'),
            fields: [
              { label: t('Closed by', '关闭人'), value: nc.closure?.by ?? '' },
              { label: t('Closed at', '关闭时间'), value: nc.closure?.at ?? '' },
              { label: t('Note', '备注'), value: nc.closure?.note ?? '' },
            ],
          },
        ],
      },
      progress,
    );
  },
};
